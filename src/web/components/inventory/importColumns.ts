import type { ImportColumn } from '../ImportWizard.tsx';

export const DEVICE_IMPORT_COLUMNS: readonly ImportColumn[] = [
  {
    name: 'serial_number',
    required: true,
    description: 'Matches existing devices (ignoring case and spaces); new serials add devices.',
  },
  { name: 'asset_tag', description: "The district's asset tag; must be unique." },
  { name: 'model', description: 'e.g. Chromebook 314.' },
  { name: 'manufacturer', description: 'e.g. Acer.' },
  { name: 'type', description: 'chromebook, laptop, tablet, desktop, hotspot or other.' },
  { name: 'status', description: 'in service, spare, in repair, lost, stolen, retired or disposed.' },
  { name: 'school', description: "A school's name or code, as listed on the Schools page." },
  { name: 'assigned_to', description: 'Checks the device out to this person: their email or external id.' },
  { name: 'notes', description: 'Free text.' },
  { name: 'purchase_date', description: 'YYYY-MM-DD or MM/DD/YYYY.' },
  { name: 'warranty_end', description: 'YYYY-MM-DD or MM/DD/YYYY.' },
];

export const PEOPLE_IMPORT_COLUMNS: readonly ImportColumn[] = [
  {
    name: 'external_id',
    description: 'The id from your student information system; matches existing people.',
  },
  { name: 'email', description: 'Matches existing people when there is no external id.' },
  { name: 'name', required: true, description: 'Full name.' },
  { name: 'kind', description: 'student or staff.' },
  { name: 'grade', description: 'e.g. 7 or K.' },
  { name: 'school', description: "A school's name or code, as listed on the Schools page." },
  { name: 'active', description: 'yes or no (true/false, 1/0 also work).' },
];
