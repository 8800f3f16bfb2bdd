import { describe, expect, it } from 'vitest';
import { chooseColumns, readColumnChoice, shownColumns } from '../../src/web/lib/columnChoice.ts';

const BASE = ['assetTag', 'model', 'status', 'notes'];
const DEFAULTS = ['assetTag', 'model', 'status', 'mdmLastCheckIn', 'mdmOsVersion'];
const WITH_MDM = [...BASE, 'mdmLastCheckIn', 'mdmOsVersion', 'mdmOrgUnit'];

describe('column choice', () => {
  it('shows the defaults that exist until someone picks', () => {
    expect(shownColumns(null, BASE, DEFAULTS)).toEqual(['assetTag', 'model', 'status']);
    expect(shownColumns(null, WITH_MDM, DEFAULTS)).toEqual([
      'assetTag',
      'model',
      'status',
      'mdmLastCheckIn',
      'mdmOsVersion',
    ]);
  });

  it('adds a provider’s default columns when they first arrive, even after an earlier pick', () => {
    const picked = chooseColumns(null, ['model', 'notes'], BASE);
    expect(shownColumns(picked, BASE, DEFAULTS)).toEqual(['model', 'notes']);
    expect(shownColumns(picked, WITH_MDM, DEFAULTS)).toEqual([
      'model',
      'notes',
      'mdmLastCheckIn',
      'mdmOsVersion',
    ]);
  });

  it('keeps hidden a provider column someone hid, and keeps picked one while its data is away', () => {
    const hid = chooseColumns(null, ['model', 'mdmLastCheckIn'], WITH_MDM);
    expect(shownColumns(hid, WITH_MDM, DEFAULTS)).toEqual(['model', 'mdmLastCheckIn']);
    const whileAway = chooseColumns(hid, ['model', 'status'], BASE);
    expect(shownColumns(whileAway, WITH_MDM, DEFAULTS)).toEqual(['model', 'status', 'mdmLastCheckIn']);
  });

  it('reads the older bare-list form as a pick made before any provider columns', () => {
    const old = readColumnChoice(JSON.stringify(['model']), BASE);
    expect(shownColumns(old, WITH_MDM, DEFAULTS)).toEqual(['model', 'mdmLastCheckIn', 'mdmOsVersion']);
    expect(readColumnChoice('not json', BASE)).toBeNull();
    expect(readColumnChoice(JSON.stringify({ shown: [1] }), BASE)).toBeNull();
  });
});
