import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { DocumentTitle } from '../components/DocumentTitle.tsx';

export function NotFoundPage() {
  return (
    <Center mih="100vh" p="md">
      <DocumentTitle title="Page not found" />
      <Stack align="center" gap="md" maw={480}>
        <Text fw={700} size="xl" c="blue.7">
          Satchel
        </Text>
        <Title order={1}>Page not found</Title>
        <Text c="dimmed" ta="center">
          There is nothing at this address. Check the link, or start again from the home page.
        </Text>
        <Button component={Link} to="/">
          Go to the home page
        </Button>
      </Stack>
    </Center>
  );
}
