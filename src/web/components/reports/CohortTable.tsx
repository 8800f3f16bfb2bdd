import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { CohortGroup } from '../../../common/reports.ts';
import { formatCount, formatDay } from '../../lib/format.ts';
import { devicesPath } from './links.ts';

export function gradeLabel(grade: number): string {
  if (grade === -1) return 'Pre-K';
  if (grade === 0) return 'K';
  return String(grade);
}

/** Student devices whose updates end before the student graduates, by school and grade. */
export function CohortTable({ groups }: { groups: CohortGroup[] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped verticalSpacing="xs" aria-label="Devices expiring before graduation">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>School</Table.Th>
            <Table.Th>Grade</Table.Th>
            <Table.Th>Expected graduation</Table.Th>
            <Table.Th>Earliest expiration</Table.Th>
            <Table.Th ta="right">Devices</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((group) => {
            const school = group.school?.name ?? 'No school';
            return (
              <Table.Tr key={`${group.school?.id ?? 'none'}-${group.grade}`}>
                <Table.Td>
                  {group.school ? (
                    school
                  ) : (
                    <Text span size="sm" c="dimmed">
                      {school}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{gradeLabel(group.grade)}</Table.Td>
                <Table.Td>{formatDay(group.expectedGraduation)}</Table.Td>
                <Table.Td>{formatDay(group.earliestAutoUpdateExpiration)}</Table.Td>
                <Table.Td ta="right">
                  {group.devicesQuery ? (
                    <Anchor
                      component={Link}
                      to={devicesPath(group.devicesQuery)}
                      size="sm"
                      aria-label={`${school}, grade ${gradeLabel(group.grade)}: ${formatCount(group.count)}`}
                    >
                      {formatCount(group.count)}
                    </Anchor>
                  ) : (
                    <Text span size="sm" title="The device list cannot filter devices without a school">
                      {formatCount(group.count)}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
