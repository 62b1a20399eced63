/**
 * What an HTML report is made of, as plain data: sections of figures, charts and tables. The kind
 * modules (run, backfill, capacity) build these from summaries; page.ts renders them. Every chart
 * carries its own data, which page.ts also prints as a table (readable with JavaScript off).
 */
export interface Dataset {
  label: string;
  data: Array<number | null>;
  /** 'line' (default for line charts) or 'bar'; mixing is allowed. */
  kind?: 'line' | 'bar';
  /** Right-hand axis. */
  right?: boolean;
  /** Stack bars of the same stack name. */
  stack?: string;
  color?: string;
  /** Draw only points (a marker such as the knee). */
  pointsOnly?: boolean;
  dashed?: boolean;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** One line under the title: what to look at. */
  note?: string;
  /** x values: seconds, dates, rates or names (shown as categories). */
  labels: Array<string | number>;
  xTitle: string;
  yTitle: string;
  y2Title?: string;
  /** x as a number scale (capacity's rates) rather than categories. */
  numericX?: boolean;
  /** A vertical marker line at this x (numeric x only), e.g. capacity's knee. */
  markX?: { value: number; label: string };
  datasets: Dataset[];
}

export interface Figure {
  label: string;
  value: string;
  /** ok / bad colours the value. */
  tone?: 'ok' | 'bad';
}

export interface Table {
  caption: string;
  head: string[];
  rows: Array<Array<string | number>>;
  /** Columns (by index) aligned right: numbers. */
  numeric?: number[];
}

export type Block =
  | { kind: 'figures'; figures: Figure[] }
  | { kind: 'chart'; chart: ChartSpec }
  | { kind: 'table'; table: Table }
  | { kind: 'text'; text: string }
  | { kind: 'code'; caption: string; text: string };

export interface Section {
  heading: string;
  blocks: Block[];
}

export interface ReportPage {
  title: string;
  subtitle: string;
  sections: Section[];
}
