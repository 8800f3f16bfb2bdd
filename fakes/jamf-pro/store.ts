/**
 * One instance's devices of one kind, with the indexes a large fleet needs: ID → position, lower-cased
 * serial → positions, and cached sort orders and filter results (dropped whenever a device changes).
 * Records are never copied; an update replaces the changed objects, so records may share sub-objects.
 */
import { valueAt } from './resource.ts';

/** Filter results kept for paging through a listing. */
const MAX_CACHED_RESULTS = 16;

export class DeviceStore<T> {
  records: T[] = [];
  private byId?: Map<string, number>;
  private bySerial?: Map<string, number[]>;
  private orders = new Map<string, Int32Array>();
  private results = new Map<string, Int32Array>();
  private readonly idOf: (record: T) => string;
  private readonly serialPath: readonly string[];

  constructor(idOf: (record: T) => string, serialPath: readonly string[], records: T[] = []) {
    this.idOf = idOf;
    this.serialPath = serialPath;
    this.replace(records);
  }

  replace(records: T[]): void {
    this.records = records;
    this.byId = undefined;
    this.bySerial = undefined;
    this.changed();
  }

  get(id: string): T | undefined {
    const index = this.indexOf(id);
    return index === undefined ? undefined : this.records[index];
  }

  /** Replaces one record (same ID) and drops what was derived from the old one. */
  put(record: T, serialChanged: boolean): void {
    const index = this.indexOf(this.idOf(record));
    if (index === undefined) throw new Error(`no record ${this.idOf(record)}`);
    this.records[index] = record;
    if (serialChanged) this.bySerial = undefined;
    this.changed();
  }

  /** Positions of the records whose serial equals one of `serials`, ignoring case. */
  withSerials(serials: readonly string[]): number[] {
    const index = this.serialIndex();
    const found = new Set<number>();
    for (const serial of serials)
      for (const position of index.get(serial.toLowerCase()) ?? []) found.add(position);
    return [...found];
  }

  /** Every position in one sort order, made by `sort` once and kept until the records change. */
  order(key: string, sort: () => Int32Array): Int32Array {
    let order = this.orders.get(key);
    if (!order) {
      order = sort();
      this.orders.set(key, order);
    }
    return order;
  }

  /** A filter's matching positions, computed once per filter, sort and case setting. */
  cachedResult(key: string, compute: () => Int32Array): Int32Array {
    let result = this.results.get(key);
    if (!result) {
      result = compute();
      if (this.results.size >= MAX_CACHED_RESULTS) this.results.delete(this.results.keys().next().value!);
      this.results.set(key, result);
    }
    return result;
  }

  private changed(): void {
    this.orders.clear();
    this.results.clear();
  }

  private indexOf(id: string): number | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (let i = 0; i < this.records.length; i++) this.byId.set(this.idOf(this.records[i]!), i);
    }
    return this.byId.get(id);
  }

  private serialIndex(): Map<string, number[]> {
    if (!this.bySerial) {
      this.bySerial = new Map();
      for (let i = 0; i < this.records.length; i++) {
        const serial = valueAt(this.records[i], this.serialPath);
        if (typeof serial !== 'string') continue;
        const key = serial.toLowerCase();
        const positions = this.bySerial.get(key);
        if (positions) positions.push(i);
        else this.bySerial.set(key, [i]);
      }
    }
    return this.bySerial;
  }
}
