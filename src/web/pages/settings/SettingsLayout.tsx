import { Alert, Tabs } from '@mantine/core';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Page } from '../../components/Page.tsx';
import { useHasPermission } from '../../components/SessionContext.tsx';

const SECTIONS = [
  { value: 'users', label: 'Users' },
  { value: 'sign-in', label: 'Sign-in' },
  { value: 'mdm', label: 'MDM Settings' },
  { value: 'tokens', label: 'API tokens' },
  { value: 'audit', label: 'Audit log' },
  { value: 'privacy', label: 'Data & privacy' },
  { value: 'district', label: 'District' },
] as const;

/** `/settings/*`: sub-navigation between the settings sections, for users with `system.settings`. */
export function SettingsLayout() {
  const allowed = useHasPermission('system.settings');
  const { pathname } = useLocation();
  const navigate = useNavigate();

  if (!allowed) {
    return (
      <Page title="System Settings">
        <Alert color="yellow" title="You don't have access to System Settings" role="alert">
          System Settings are only available to district administrators. Ask one of your district's Satchel
          administrators if you need something changed.
        </Alert>
      </Page>
    );
  }

  const current =
    SECTIONS.find((section) => pathname.startsWith(`/settings/${section.value}`))?.value ?? null;
  // `/settings` itself: its index route redirects to the first section.
  if (!current) return <Outlet />;

  return (
    <Page title="System Settings">
      <Tabs
        value={current}
        onChange={(value) => {
          if (value) navigate(`/settings/${value}`);
        }}
      >
        <Tabs.List aria-label="System Settings sections">
          {SECTIONS.map((section) => (
            <Tabs.Tab key={section.value} value={section.value}>
              {section.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {SECTIONS.map((section) => (
          <Tabs.Panel key={section.value} value={section.value} pt="lg">
            {section.value === current && <Outlet />}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Page>
  );
}
