import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './components/AppLayout.tsx';
import { RequireSession } from './components/RequireSession.tsx';
import { RouteError } from './components/RouteError.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { DeviceDetailPage } from './pages/DeviceDetailPage.tsx';
import { DevicesPage } from './pages/DevicesPage.tsx';
import { InvitationPage } from './pages/InvitationPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { PeoplePage } from './pages/PeoplePage.tsx';
import { PersonDetailPage } from './pages/PersonDetailPage.tsx';
import { ReportsPage } from './pages/ReportsPage.tsx';
import { ResetPasswordPage } from './pages/ResetPasswordPage.tsx';
import { SchoolsPage } from './pages/SchoolsPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { AuditLogSettings } from './pages/settings/AuditLogSettings.tsx';
import { DistrictSettings } from './pages/settings/DistrictSettings.tsx';
import { MdmSettings } from './pages/settings/MdmSettings.tsx';
import { PrivacySettings } from './pages/settings/PrivacySettings.tsx';
import { SettingsLayout } from './pages/settings/SettingsLayout.tsx';
import { TokensSettings } from './pages/settings/TokensSettings.tsx';
import { UsersSettings } from './pages/settings/UsersSettings.tsx';
import { SignInSettingsPage } from './sign-in/SignInSettingsPage.tsx';

export const router = createBrowserRouter([
  {
    ErrorBoundary: RouteError,
    children: [
      { path: '/setup', Component: SetupPage },
      { path: '/sign-in', Component: SignInPage },
      { path: '/invitation', Component: InvitationPage },
      { path: '/reset-password', Component: ResetPasswordPage },
      {
        Component: RequireSession,
        children: [
          {
            Component: AppLayout,
            children: [
              { index: true, Component: OverviewPage },
              { path: 'devices', Component: DevicesPage },
              { path: 'devices/:id', Component: DeviceDetailPage },
              { path: 'people', Component: PeoplePage },
              { path: 'people/:id', Component: PersonDetailPage },
              { path: 'schools', Component: SchoolsPage },
              { path: 'reports', Component: ReportsPage },
              { path: 'account', Component: AccountPage },
              {
                path: 'settings',
                Component: SettingsLayout,
                children: [
                  { index: true, element: <Navigate to="/settings/users" replace /> },
                  { path: 'users', Component: UsersSettings },
                  { path: 'sign-in', Component: SignInSettingsPage },
                  { path: 'mdm', Component: MdmSettings },
                  { path: 'tokens', Component: TokensSettings },
                  { path: 'audit', Component: AuditLogSettings },
                  { path: 'privacy', Component: PrivacySettings },
                  { path: 'district', Component: DistrictSettings },
                ],
              },
            ],
          },
        ],
      },
      { path: '*', Component: NotFoundPage },
    ],
  },
]);
