import { Badge, Button, Code, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ApiToken } from '../../common/tokens.ts';
import { formatDateTime, isPast } from '../lib/format.ts';

function ExpiryCell({ token }: { token: ApiToken }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm">{formatDateTime(token.expiresAt)}</Text>
      {isPast(token.expiresAt) && (
        <Badge color="gray" variant="light">
          Expired
        </Badge>
      )}
    </Group>
  );
}

/** API tokens with a Revoke button each; `ownerOf` adds an Owner column (the administrators' view). */
export function TokenTable<Token extends ApiToken>({
  tokens,
  ownerOf,
  onRevoke,
}: {
  tokens: Token[];
  ownerOf?: (token: Token) => string;
  onRevoke: (token: Token) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            {ownerOf && <Table.Th>Owner</Table.Th>}
            <Table.Th>Name</Table.Th>
            <Table.Th>Prefix</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <Table.Tr key={token.id}>
              {ownerOf && <Table.Td>{ownerOf(token)}</Table.Td>}
              <Table.Td>{token.name}</Table.Td>
              <Table.Td>
                <Code>{token.prefix}…</Code>
              </Table.Td>
              <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
              <Table.Td>{formatDateTime(token.lastUsedAt, 'Never')}</Table.Td>
              <Table.Td>
                <ExpiryCell token={token} />
              </Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  color="red"
                  variant="light"
                  onClick={() => onRevoke(token)}
                  aria-label={
                    ownerOf ? `Revoke ${ownerOf(token)}'s token ${token.name}` : `Revoke ${token.name}`
                  }
                >
                  Revoke
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
