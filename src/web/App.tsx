import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { queryClient } from './api/queryClient.ts';
import { router } from './router.tsx';
import { readableColors } from './theme/readableColors.ts';
import { theme } from './theme/theme.ts';

export function App() {
  return (
    // "auto" follows the system setting until someone picks a theme; Mantine remembers that pick in localStorage.
    <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={readableColors}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
