/**
 * The order service's types, shared by the lab core and the renderer (no Node in here): an
 * order as both APIs give it, and the Web tab's request to do one operation both ways.
 */
import { z } from 'zod';

export type OrderStatus = 'open' | 'shipped' | 'cancelled';
export const ORDER_STATUSES: readonly OrderStatus[] = ['open', 'shipped', 'cancelled'];

export interface Order {
  id: number;
  item: string;
  quantity: number;
  customer: string;
  status: OrderStatus;
  created: string;
  updated: string;
  /** counts the changes: the entity tag of the order's representation (RFC 9110 §8.8.3) */
  version: number;
}

export const compareRequestSchema = z
  .object({
    operation: z.enum(['list', 'get', 'create', 'update', 'delete']),
    soap: z.enum(['1.1', '1.2']).optional(),
    id: z.number().int().min(1).max(999_999_999).optional(),
    item: z.string().max(200).optional(),
    quantity: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    customer: z.string().max(200).optional(),
    status: z.string().max(40).optional(),
  })
  .strict();
export type CompareRequest = z.infer<typeof compareRequestSchema>;

export interface ComparedExchange {
  style: 'REST' | 'SOAP 1.1' | 'SOAP 1.2';
  /** the request and the response as they went on the wire (bodies as UTF-8 text) */
  request: string;
  response: string;
  requestBytes: number;
  responseBytes: number;
  status: number;
  ms: number;
  /** the capture's connection and its first message, to open in the inspector */
  conn: number | null;
  firstId: number | null;
}

export interface CompareResult {
  rest: ComparedExchange;
  soap: ComparedExchange;
}

