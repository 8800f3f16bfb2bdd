import { AppShell, Burger, Button, Group, Menu, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useSignOut } from '../api/session.ts';
import { notifyError } from '../lib/errors.ts';
import { ColorSchemeMenu } from './ColorSchemeMenu.tsx';
import { useCurrentSession } from './SessionContext.tsx';

const MAIN_ID = 'main-content';

interface NavItem {
  label: string;
  to: string;
}

function isActive(pathname: string, to: string): boolean {
  if (to === '/') return pathname === '/';
  return pathname === to || pathname.startsWith(`${to}/`);
}

/** The signed-in app: header with district and user menu, navbar, and the current page. */
export function AppLayout() {
  const session = useCurrentSession();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const [navOpened, nav] = useDisclosure(false);

  const items: NavItem[] = [
    { label: 'Overview', to: '/' },
    { label: 'Devices', to: '/devices' },
    { label: 'People', to: '/people' },
    { label: 'Schools', to: '/schools' },
    { label: 'Reports', to: '/reports' },
  ];
  if (session.permissions.includes('system.settings')) {
    items.push({ label: 'System Settings', to: '/settings' });
  }

  const handleSignOut = () => {
    signOut.mutate(undefined, {
      onSuccess: () => navigate('/sign-in', { replace: true }),
      onError: (error) => notifyError(error, 'Could not sign out'),
    });
  };

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="lg"
    >
      <a className="skip-link" href={`#${MAIN_ID}`}>
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
            />
            <Text component={Link} to="/" fw={700} size="xl" c="blue" td="none">
              Satchel
            </Text>
            <Text c="dimmed" size="sm" truncate visibleFrom="xs" data-testid="district-name">
              {session.district.name}
            </Text>
          </Group>
          <Group gap={4} wrap="nowrap">
            <ColorSchemeMenu />
            <Menu position="bottom-end" width={220} withinPortal>
              <Menu.Target>
                <Button variant="subtle" color="gray">
                  {session.user.name}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{session.user.email}</Menu.Label>
                <Menu.Item component={Link} to="/account">
                  Account
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item onClick={handleSignOut} disabled={signOut.isPending}>
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <Text c="dimmed" size="sm" hiddenFrom="xs" px="sm" pb="xs">
          {session.district.name}
        </Text>
        {items.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            active={isActive(pathname, item.to)}
            aria-current={isActive(pathname, item.to) ? 'page' : undefined}
            onClick={nav.close}
          />
        ))}
      </AppShell.Navbar>

      {/* Focusable so the skip link moves keyboard focus here, not only the scroll position. */}
      <AppShell.Main id={MAIN_ID} tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
