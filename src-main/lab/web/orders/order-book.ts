/**
 * The order service behind www.networkutopia.com's web services (Peterson & Davie ch. 9,
 * "Web Services"): one book of orders that the REST resource API (rest.ts) and the SOAP
 * endpoint (soap.ts) both read and change, so the same operation can be compared on the wire.
 * Kept in <dataDir>/web/orders.json, written whole after every change (temp file, fsync,
 * rename): an acknowledged change survives a restart, and a half-written book never exists.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../storage';
import { ORDER_STATUSES, type Order, type OrderStatus } from './orders-types';

/** What a client may set: all of it when creating, any part when changing. */
export interface OrderFields {
  item?: unknown;
  quantity?: unknown;
  customer?: unknown;
  status?: unknown;
}

/** A request the book refuses, with the sentence a student reads back. */
export class OrderError extends Error {
  constructor(
    readonly kind: 'invalid' | 'missing' | 'conflict' | 'full',
    message: string,
  ) {
    super(message);
  }
}

const MAX_ORDERS = 10_000;
const TEXT = /^[^\u0000-\u001f\u007f]{1,100}$/;

/** The strong entity tag both APIs give an order: it changes with every change (RFC 9110 §8.8.3). */
export const etagOf = (o: Order): string => `"order-${o.id}-v${o.version}"`;

function checkText(name: string, v: unknown): string {
  if (typeof v !== 'string' || !TEXT.test(v.trim())) throw new OrderError('invalid', `${name} is text of 1 to 100 characters (no control characters)`);
  return v.trim();
}

function checkQuantity(v: unknown): number {
  const n = typeof v === 'string' && /^\d{1,6}$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1000) throw new OrderError('invalid', 'quantity is a whole number from 1 to 1000');
  return n;
}

function checkStatus(v: unknown): OrderStatus {
  if (typeof v !== 'string' || !ORDER_STATUSES.includes(v as OrderStatus)) throw new OrderError('invalid', `status is one of ${ORDER_STATUSES.join(', ')}`);
  return v as OrderStatus;
}

const FIRST_ORDERS: Pick<Order, 'item' | 'quantity' | 'customer' | 'status'>[] = [
  { item: 'Computer Networking: A Top-Down Approach', quantity: 1, customer: 'alice@crepes.fr', status: 'shipped' },
  { item: 'Ethernet cable, 2 m', quantity: 3, customer: 'bob@hamburger.edu', status: 'open' },
];

export class OrderBook {
  private orders = new Map<number, Order>();
  private nextId = 1;
  private loaded: Promise<void> | null = null;
  /** writes go one after another, each writing the book as it is then */
  private writing: Promise<void> = Promise.resolve();

  constructor(private dataDir: string) {}

  private get file(): string {
    return path.join(this.dataDir, 'web', 'orders.json');
  }

  /** Read the book once; a missing file starts from the two example orders. */
  load(): Promise<void> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async read(): Promise<void> {
    let text: string | null = null;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text === null) {
      const now = new Date().toISOString();
      for (const o of FIRST_ORDERS) this.put({ ...o, id: this.nextId++, created: now, updated: now, version: 1 });
      return;
    }
    let saved: { nextId: number; orders: Order[] };
    try {
      saved = JSON.parse(text) as { nextId: number; orders: Order[] };
      if (!Array.isArray(saved.orders)) throw new Error('no orders');
    } catch {
      // someone edited it by hand and broke it: keep it aside, never overwrite it, start empty
      await fs.rename(this.file, `${this.file}.unreadable-${Date.now()}`);
      return;
    }
    for (const o of saved.orders) this.put(o);
    this.nextId = Math.max(Number(saved.nextId) || 1, ...saved.orders.map((o) => o.id + 1));
  }

  private put(o: Order): void {
    this.orders.set(o.id, o);
  }

  private save(): Promise<void> {
    const text = `${JSON.stringify({ nextId: this.nextId, orders: [...this.orders.values()] }, null, 2)}\n`;
    const write = this.writing.then(() => writeFileAtomic(this.file, text, { base: this.dataDir }));
    this.writing = write.catch(() => undefined);
    return write;
  }

  async list(status?: string): Promise<Order[]> {
    await this.load();
    const all = [...this.orders.values()];
    return status === undefined ? all : all.filter((o) => o.status === checkStatus(status));
  }

  async get(id: number): Promise<Order> {
    await this.load();
    const o = this.orders.get(id);
    if (!o) throw new OrderError('missing', `there is no order ${id}`);
    return o;
  }

  async create(fields: OrderFields): Promise<Order> {
    await this.load();
    if (this.orders.size >= MAX_ORDERS) throw new OrderError('full', `the book holds at most ${MAX_ORDERS} orders: delete some first`);
    const now = new Date().toISOString();
    const order: Order = {
      id: this.nextId,
      item: checkText('item', fields.item),
      quantity: checkQuantity(fields.quantity),
      customer: checkText('customer', fields.customer),
      status: fields.status === undefined ? 'open' : checkStatus(fields.status),
      created: now,
      updated: now,
      version: 1,
    };
    this.nextId++;
    this.put(order);
    await this.save();
    return order;
  }

  /** Change some fields; `expected` is the version the client last saw (If-Match), when it said. */
  async update(id: number, fields: OrderFields, expected?: (o: Order) => boolean): Promise<Order> {
    const old = await this.get(id);
    if (expected && !expected(old)) throw new OrderError('conflict', `order ${id} changed since you read it (it is at version ${old.version} now): read it again`);
    const next: Order = {
      ...old,
      ...(fields.item !== undefined ? { item: checkText('item', fields.item) } : {}),
      ...(fields.quantity !== undefined ? { quantity: checkQuantity(fields.quantity) } : {}),
      ...(fields.customer !== undefined ? { customer: checkText('customer', fields.customer) } : {}),
      ...(fields.status !== undefined ? { status: checkStatus(fields.status) } : {}),
      updated: new Date().toISOString(),
      version: old.version + 1,
    };
    this.put(next);
    await this.save();
    return next;
  }

  async remove(id: number, expected?: (o: Order) => boolean): Promise<Order> {
    const old = await this.get(id);
    if (expected && !expected(old)) throw new OrderError('conflict', `order ${id} changed since you read it (it is at version ${old.version} now): read it again`);
    this.orders.delete(id);
    await this.save();
    return old;
  }
}
