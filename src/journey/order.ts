import { derive, hex, pick, seeded, weighted, type Rng } from '../random/rng.js';
import type { ProductEntry } from './data/predecessor.js';
import type { JourneySettings } from './settings.js';

/**
 * Ecommerce orders. All amounts are integer cents: catalogue prices are never scaled; the order
 * value lands inside the configured range by the choice of items and quantities alone.
 */
export interface OrderLine {
  product: ProductEntry;
  quantity: number;
}

export interface Order {
  lines: OrderLine[];
  subtotalCents: number;
  taxCents: number;
  shippingCents: number;
  /** A coupon's discount, sent as `ec_dt`; 0 (and not sent) for most orders. */
  discountCents: number;
  /** subtotal + tax + shipping - discount; within the configured order value range. */
  revenueCents: number;
}

/** Coupon sizes, percent of the subtotal: what a shop's newsletter and loyalty codes give. */
export const DISCOUNT_PERCENTS: readonly number[] = [5, 10, 15, 20];

type EcommerceSettings = JourneySettings['ecommerce'];

const maxQuantity = 10;
const attemptsPerCount = 40;

const cents = (amount: number): number => Math.round(amount * 100);

/** Two decimals, always: Matomo stores floats with more than 14 significant digits as 0. */
export function formatAmount(amountCents: number): string {
  return (amountCents / 100).toFixed(2);
}

/**
 * Matomo's `ec_id`: 16 hex characters from the seed, the run or day, the visit and the order's
 * position in the visit. Reproducible for the same inputs; 64 random bits otherwise, so ids from
 * other seeds, days or visits do not repeat (Matomo silently ignores a repeated ec_id).
 */
export function orderId(seed: string | number, scope: string, visitIndex: number, n = 0): string {
  return hex(derive(seed, 'order', scope, visitIndex, n), 16);
}

/** Items per order: the predecessor's weights for 1..5 (mostly 1-2), halving beyond 5. */
function itemCount(rng: Rng, range: EcommerceSettings['items'], weights: readonly number[], available: number): number {
  const counts: number[] = [];
  for (let k = Math.max(1, range.min); k <= Math.min(range.max, available); k++) counts.push(k);
  if (counts.length === 0) return Math.min(Math.max(1, range.min), available);
  const last = weights[weights.length - 1] ?? 1;
  return weighted(rng, counts, (k) => weights[k - 1] ?? last * 0.5 ** (k - weights.length));
}

function tryOrder(rng: Rng, count: number, settings: EcommerceSettings, sortedPrices: readonly number[], products: readonly ProductEntry[]): Order | undefined {
  const shippingCents = cents(settings.shippingRates.length > 0 ? pick(rng, settings.shippingRates) : 0);
  const rate = settings.taxRate;
  // Bounds on the subtotal such that subtotal + round(subtotal x rate) + shipping stays inside
  // the range whatever the rounding of the tax (half a cent either way).
  const lo = Math.max(1, Math.ceil((cents(settings.orderValue.min) - shippingCents + 0.5) / (1 + rate)));
  const hi = Math.floor((cents(settings.orderValue.max) - shippingCents - 0.5) / (1 + rate));
  if (hi < lo) return undefined;
  const lines: OrderLine[] = [];
  let sum = 0;
  for (let i = 0; i < count; i++) {
    let reserve = 0;
    for (let j = 0; j < count - 1 - i; j++) reserve += sortedPrices[j] ?? 0;
    const budget = hi - sum - reserve;
    const candidates = products.filter((p) => p.priceCents <= budget && !lines.some((l) => l.product === p));
    if (candidates.length === 0) return undefined;
    const product = pick(rng, candidates);
    lines.push({ product, quantity: 1 });
    sum += product.priceCents;
  }
  while (sum < lo) {
    const room = hi - sum;
    const raisable = lines.filter((l) => l.quantity < maxQuantity && l.product.priceCents <= room);
    if (raisable.length === 0) return undefined;
    const line = pick(rng, raisable);
    line.quantity += 1;
    sum += line.product.priceCents;
  }
  const taxCents = Math.round(sum * rate);
  return { lines, subtotalCents: sum, taxCents, shippingCents, discountCents: 0, revenueCents: sum + taxCents + shippingCents };
}

/**
 * An order whose revenue lies in settings.orderValue, with an item count drawn from settings.items
 * (weighted towards 1-2). Throws when the settings admit no such order; `ecommerceProblem` lets
 * validation find that out beforehand.
 */
export function buildOrder(rng: Rng, settings: EcommerceSettings, products: readonly ProductEntry[], itemWeights: readonly number[]): Order {
  const sortedPrices = products.map((p) => p.priceCents).sort((a, b) => a - b);
  const first = itemCount(rng, settings.items, itemWeights, products.length);
  const counts = [first];
  for (let k = Math.max(1, settings.items.min); k <= Math.min(settings.items.max, products.length); k++) {
    if (k !== first) counts.push(k);
  }
  for (const count of counts) {
    for (let attempt = 0; attempt < attemptsPerCount; attempt++) {
      const order = tryOrder(rng, count, settings, sortedPrices, products);
      if (order) return order;
    }
  }
  throw new Error(
    `no order of ${settings.items.min}-${settings.items.max} items fits an order value of ` +
      `${settings.orderValue.min}-${settings.orderValue.max} with the product catalogue`,
  );
}

/**
 * The order with a coupon: a percentage of the subtotal in whole cents, cut where it would take the
 * revenue below the order value range. Revenue = subtotal + tax + shipping - discount, as Matomo's
 * Ecommerce reports add them up.
 */
export function withDiscount(rng: Rng, order: Order, settings: EcommerceSettings): Order {
  const percent = pick(rng, DISCOUNT_PERCENTS);
  const room = order.revenueCents - cents(settings.orderValue.min);
  const discountCents = Math.min(Math.round((order.subtotalCents * percent) / 100), room);
  if (discountCents <= 0) return order;
  return { ...order, discountCents, revenueCents: order.revenueCents - discountCents };
}

/** For the configuration rules: a one-line problem when orders cannot be built, else undefined. */
export function ecommerceProblem(settings: EcommerceSettings, products: readonly ProductEntry[], itemWeights: readonly number[]): string | undefined {
  const rng = seeded('ecommerce-probe');
  try {
    for (let i = 0; i < 200; i++) buildOrder(rng, settings, products, itemWeights);
    return undefined;
  } catch (error) {
    return `ecommerce: ${(error as Error).message}; widen the order value range or change the item counts`;
  }
}

/** The ecommerce parameters of an order hit, in send order (no currency: a site setting). */
export function orderParams(order: Order, ecId: string): Array<[string, string]> {
  let items = '[';
  order.lines.forEach((line, i) => {
    const p = line.product;
    if (i > 0) items += ',';
    items += `[${JSON.stringify(p.sku)},${JSON.stringify(p.name)},${JSON.stringify(p.category)},${formatAmount(p.priceCents)},${line.quantity}]`;
  });
  items += ']';
  return [
    ['idgoal', '0'],
    ['ec_id', ecId],
    ['ec_items', items],
    ['revenue', formatAmount(order.revenueCents)],
    ['ec_st', formatAmount(order.subtotalCents)],
    ['ec_tx', formatAmount(order.taxCents)],
    ['ec_sh', formatAmount(order.shippingCents)],
    ...(order.discountCents > 0 ? [['ec_dt', formatAmount(order.discountCents)] as [string, string]] : []),
  ];
}
