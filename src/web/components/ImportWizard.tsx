import {
  Alert,
  Button,
  Checkbox,
  Code,
  FileInput,
  Group,
  Modal,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
} from '@mantine/core';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { ImportJob, ImportProblem, ImportResult } from '../../common/inventory.ts';
import { ApiError } from '../api/client.ts';
import { followImport, type ImportTarget, recentImports, uploadImport } from '../api/imports.ts';
import { useInvalidateInventory } from '../api/inventory.ts';
import { describeError, errorTitle } from '../lib/errors.ts';
import { formatCount, plural } from '../lib/format.ts';

export interface ImportColumn {
  name: string;
  required?: boolean;
  description: string;
}

export interface ImportWizardProps {
  opened: boolean;
  onClose: () => void;
  target: ImportTarget;
  /** Modal title, e.g. "Import devices". */
  title: string;
  /** What one row is, e.g. { one: 'device', many: 'devices' }. */
  noun: { one: string; many: string };
  columns: readonly ImportColumn[];
  /** Extra rules shown under the column guide. */
  notes?: ReactNode;
}

/** Problems shown at most; a file with more is usually broken in one way that shows in the first few. */
export const MAX_PROBLEMS_SHOWN = 200;

type Upload =
  | { state: 'idle' }
  | { state: 'uploading'; progress: number }
  | { state: 'working'; job: ImportJob }
  | { state: 'done'; result: ImportResult }
  | { state: 'failed'; error: unknown };

function UploadProgress({ progress, working }: { progress: number; working: string }) {
  const sent = progress >= 1;
  return (
    <Stack gap={6}>
      <Progress
        value={sent ? 100 : Math.round(progress * 100)}
        striped={sent}
        animated={sent}
        size="lg"
        aria-label={sent ? working : 'Upload progress'}
      />
      <Text size="sm" c="dimmed" aria-live="polite">
        {sent ? `${working}…` : `Uploading… ${Math.round(progress * 100)}%`}
      </Text>
    </Stack>
  );
}

/** The server works through the file in the background: the bar follows the bytes it has read. */
function JobProgress({ job, working }: { job: ImportJob; working: string }) {
  const percent = job.totalBytes > 0 ? Math.floor((job.readBytes / job.totalBytes) * 100) : 0;
  const waiting = job.state === 'queued';
  return (
    <Stack gap={6}>
      <Progress
        value={waiting ? 100 : percent}
        striped={waiting}
        animated
        size="lg"
        aria-label={`${working} progress`}
      />
      <Text size="sm" c="dimmed" aria-live="polite">
        {waiting
          ? 'Waiting for another import to finish…'
          : `${working}… ${percent}% (${plural(job.rows, 'row')} so far)`}
      </Text>
      <Text size="xs" c="dimmed">
        You can close this window or leave the page: the server goes on, and Import shows it again here.
      </Text>
    </Stack>
  );
}

function Working({ upload, working }: { upload: Upload; working: string }) {
  if (upload.state === 'uploading') return <UploadProgress progress={upload.progress} working={working} />;
  if (upload.state === 'working') return <JobProgress job={upload.job} working={working} />;
  return null;
}

function Stat({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="sm" radius="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={value > 0 ? color : undefined}>
        {formatCount(value)}
      </Text>
    </Paper>
  );
}

function ProblemsTable({ problems, total }: { problems: ImportProblem[]; total: number }) {
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={500} maxHeight={320}>
        <Table striped stickyHeader verticalSpacing={4} aria-label="Problems in the file">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>Line</Table.Th>
              <Table.Th w={150}>Column</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((problem, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: problems can repeat a line and column, and never reorder
              <Table.Tr key={index}>
                <Table.Td>{problem.line}</Table.Td>
                <Table.Td>{problem.column ? <Code>{problem.column}</Code> : '—'}</Table.Td>
                <Table.Td>{problem.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {total > shown.length && (
        <Text size="sm" c="dimmed">
          Showing the first {formatCount(shown.length)} of {formatCount(total)} problems. Fix these and check
          the file again to see the rest.
        </Text>
      )}
    </Stack>
  );
}

function ColumnGuide({ columns, notes }: { columns: readonly ImportColumn[]; notes?: ReactNode }) {
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        Columns
      </Text>
      <Text size="sm" c="dimmed">
        The first row must name the columns. Save the file as "CSV UTF-8". Empty cells leave stored values
        unchanged.
      </Text>
      <Table verticalSpacing={4} aria-label="Columns the file can have">
        <Table.Tbody>
          {columns.map((column) => (
            <Table.Tr key={column.name}>
              <Table.Td w={160} style={{ verticalAlign: 'top' }}>
                <Code>{column.name}</Code>
                {column.required && (
                  <Text span size="xs" c="red.7" ml={6}>
                    required
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{column.description}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {notes && (
        <Text size="sm" c="dimmed">
          {notes}
        </Text>
      )}
    </Stack>
  );
}

function FailedUpload({ error, title }: { error: unknown; title: string }) {
  // A 400 here is a file that cannot be read at all (not UTF-8, no header, broken quoting…): the message says why.
  const structural = error instanceof ApiError && error.code === 'invalid';
  return (
    <Alert color="red" title={structural ? title : errorTitle(error)} role="alert">
      {describeError(error)}
    </Alert>
  );
}

function CheckSummary({
  result,
  noun,
  skipInvalid,
  onSkipInvalidChange,
}: {
  result: ImportResult;
  noun: ImportWizardProps['noun'];
  skipInvalid: boolean;
  onSkipInvalidChange: (value: boolean) => void;
}) {
  return (
    <Stack gap="md">
      <Text size="sm">
        The file has {plural(result.rows, 'row')}. If you import it, Satchel will make these changes:
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Stat label="Create" value={result.create} color="green.7" />
        <Stat label="Update" value={result.update} color="blue.7" />
        <Stat label="Unchanged" value={result.unchanged} />
        <Stat label="Invalid" value={result.invalid} color="red.7" />
      </SimpleGrid>
      {result.unknownColumns.length > 0 && (
        <Alert color="yellow" title="Columns that will be ignored">
          Satchel does not know{' '}
          {result.unknownColumns.map((column, index) => (
            <span key={column}>
              {index > 0 && ', '}
              <Code>{column}</Code>
            </span>
          ))}
          . Check their spelling if they should be imported.
        </Alert>
      )}
      {result.problems.length > 0 && (
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            Problems ({formatCount(result.problemCount)})
          </Text>
          <ProblemsTable problems={result.problems} total={result.problemCount} />
          <Checkbox
            label="Skip invalid rows"
            description={`Import the valid rows and leave out the ${plural(result.invalid, 'invalid row')}. Without this, nothing is imported while the file has problems.`}
            checked={skipInvalid}
            onChange={(event) => onSkipInvalidChange(event.currentTarget.checked)}
          />
        </Stack>
      )}
      {result.create + result.update === 0 && result.invalid === 0 && (
        <Alert color="blue" title="Nothing to import">
          Every {noun.one} in the file already matches what Satchel has.
        </Alert>
      )}
    </Stack>
  );
}

function ImportOutcome({ result, noun }: { result: ImportResult; noun: ImportWizardProps['noun'] }) {
  if (!result.committed) {
    return (
      <Stack gap="md">
        <Alert color="yellow" title="Nothing was imported" role="alert">
          The file has {plural(result.invalid, 'invalid row')}, so no {noun.many} were changed. Fix the rows
          below, or import again with "Skip invalid rows".
        </Alert>
        {result.problems.length > 0 && (
          <ProblemsTable problems={result.problems} total={result.problemCount} />
        )}
      </Stack>
    );
  }
  const parts = [
    `${formatCount(result.create)} created`,
    `${formatCount(result.update)} updated`,
    `${formatCount(result.unchanged)} unchanged`,
  ];
  return (
    <Stack gap="md">
      <Alert color="green" title="Import complete" role="status">
        Imported: {parts.join(', ')}.
        {result.invalid > 0 && ` ${plural(result.invalid, 'invalid row was', 'invalid rows were')} skipped.`}
      </Alert>
      {result.problems.length > 0 && (
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            Skipped rows
          </Text>
          <ProblemsTable problems={result.problems} total={result.problemCount} />
        </Stack>
      )}
    </Stack>
  );
}

function Wizard({
  onClose,
  target,
  noun,
  columns,
  notes,
  onBusyChange,
}: ImportWizardProps & {
  onBusyChange: (busy: boolean) => void;
}) {
  const invalidate = useInvalidateInventory();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<Upload>({ state: 'idle' });
  const [run, setRun] = useState<Upload>({ state: 'idle' });
  const [skipInvalid, setSkipInvalid] = useState(false);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);
  // Only the upload needs the page; once the server has the file, the window may close.
  const importing = run.state === 'uploading';
  useEffect(() => onBusyChange(importing), [importing, onBusyChange]);

  const follow = async (
    job: ImportJob,
    setState: (upload: Upload) => void,
    controller = restartFollowing(abort),
  ) => {
    try {
      const result = await followImport(job, {
        signal: controller.signal,
        onUpdate: (current) => {
          if (!controller.signal.aborted) setState({ state: 'working', job: current });
        },
      });
      if (controller.signal.aborted) return;
      setState({ state: 'done', result });
      if (result.committed) await invalidate();
    } catch (error) {
      if (controller.signal.aborted) return;
      setState({ state: 'failed', error });
    }
  };

  const upload = async (dryRun: boolean, skip: boolean, setState: (upload: Upload) => void) => {
    if (!file) return;
    const controller = restartFollowing(abort);
    setState({ state: 'uploading', progress: 0 });
    try {
      const job = await uploadImport(target, file, {
        dryRun,
        skipInvalid: skip,
        signal: controller.signal,
        onProgress: (progress) => {
          if (!controller.signal.aborted) setState({ state: 'uploading', progress });
        },
      });
      if (controller.signal.aborted) return;
      await follow(job, setState, controller);
    } catch (error) {
      if (controller.signal.aborted) return;
      setState({ state: 'failed', error });
    }
  };

  // Back on the page while an import runs: show it where it is.
  // biome-ignore lint/correctness/useExhaustiveDependencies: looked up once, when the wizard opens
  useEffect(() => {
    let current = true;
    recentImports().then(
      (imports) => {
        const running = imports.find(
          (job) => job.target === target && (job.state === 'queued' || job.state === 'running'),
        );
        if (!current || !running) return;
        setStep(running.dryRun ? 1 : 2);
        void follow(running, running.dryRun ? setCheck : setRun);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);

  const startCheck = () => {
    setStep(1);
    setSkipInvalid(false);
    setRun({ state: 'idle' });
    void upload(true, false, setCheck);
  };

  const startImport = () => {
    setStep(2);
    void upload(false, skipInvalid, setRun);
  };

  const backToFile = () => {
    abort.current?.abort();
    setCheck({ state: 'idle' });
    setRun({ state: 'idle' });
    setStep(0);
  };

  const checked = check.state === 'done' ? check.result : null;
  const changes = checked ? checked.create + checked.update : 0;
  const blockedByProblems = Boolean(checked && checked.invalid > 0 && !skipInvalid);
  const canImport = Boolean(checked) && Boolean(file) && changes > 0 && !blockedByProblems;

  return (
    <Stack gap="lg">
      <Stepper
        active={step}
        onStepClick={(index) => {
          if (index === 0 && !importing) backToFile();
        }}
        allowNextStepsSelect={false}
        size="sm"
      >
        <Stepper.Step label="Choose file" description="A .csv file">
          <Stack gap="md">
            <FileInput
              label="CSV file"
              placeholder="Choose a .csv file"
              accept=".csv,text/csv"
              value={file}
              onChange={setFile}
              clearable
              data-autofocus
            />
            <ColumnGuide columns={columns} notes={notes} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button onClick={startCheck} disabled={!file}>
                Check file
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Check file" description="Nothing is changed yet">
          <Stack gap="md">
            <Working upload={check} working="Checking rows" />
            {check.state === 'failed' && (
              <FailedUpload error={check.error} title="The file could not be checked" />
            )}
            {checked && (
              <CheckSummary
                result={checked}
                noun={noun}
                skipInvalid={skipInvalid}
                onSkipInvalidChange={setSkipInvalid}
              />
            )}
            {checked && !file && changes > 0 && (
              <Text size="sm" c="dimmed">
                Choose the file again to import it.
              </Text>
            )}
            {checked && blockedByProblems && changes > 0 && (
              <Text size="sm" c="dimmed">
                Tick "Skip invalid rows" to import the valid rows, or fix the file and check it again.
              </Text>
            )}
            <Group justify="space-between">
              <Button variant="default" onClick={backToFile}>
                Choose another file
              </Button>
              {checked && (
                <Button onClick={startImport} disabled={!canImport}>
                  {changes > 0 ? `Import ${plural(changes, noun.one, noun.many)}` : 'Import'}
                </Button>
              )}
            </Group>
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Import" description="Save the changes">
          <Stack gap="md">
            <Working upload={run} working="Importing" />
            {run.state === 'failed' && <FailedUpload error={run.error} title="The import failed" />}
            {run.state === 'done' && <ImportOutcome result={run.result} noun={noun} />}
            <Group justify={run.state === 'failed' ? 'space-between' : 'flex-end'}>
              {run.state === 'failed' && (
                <Button variant="default" onClick={backToFile}>
                  Choose another file
                </Button>
              )}
              <Button onClick={onClose} disabled={importing}>
                {run.state === 'done' ? 'Done' : 'Close'}
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>
      </Stepper>
    </Stack>
  );
}

/** Stops following the previous upload or import, and gives the next one its own signal. */
function restartFollowing(current: { current: AbortController | null }): AbortController {
  current.current?.abort();
  const controller = new AbortController();
  current.current = controller;
  return controller;
}

/** Upload a CSV in three steps: choose the file, check it (a dry run that changes nothing), then import. */
export function ImportWizard(props: ImportWizardProps) {
  const [busy, setBusy] = useState(false);
  const { opened, onClose, title } = props;
  const close = () => {
    if (!busy) onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={title}
      size="xl"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      withCloseButton={!busy}
    >
      {/* Mounted only while open, so each opening starts again at step 1. */}
      {opened && <Wizard {...props} onClose={close} onBusyChange={setBusy} />}
    </Modal>
  );
}
