/**
 * Streams an extract from PostgreSQL to a writable (an HTTP response, a file) as CSV or Parquet,
 * with back-pressure end to end: rows are fetched through a cursor (pg-query-stream) a batch at a
 * time only as fast as the sink drains, so memory holds one batch (CSV) or one row group (Parquet),
 * never the whole result. Counts the rows and bytes sent and hashes the bytes (SHA-256) as they go.
 *
 * Parquet: hyparquet-writer's ParquetWriter writes one row group per `write` call and awaits the
 * writer's `flush` after each, so each row group is encoded, handed to the sink and dropped before
 * the next is read. (Chosen over @dsnp/parquetjs, whose dependencies bring an S3 client and a
 * Thrift runtime, and parquet-wasm + apache-arrow, which write a whole table at once: one small
 * pure-JS package, maintained with hyparquet, its reader.)
 */
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import { csvField } from '../../kit/csv.js';
import type { VariableType } from './codebook.js';

/** RFC 4180 quoting, shared with every CSV the platform serves (kit/csv.ts). */
export { csvField };

export type ExtractFormat = 'CSV' | 'PARQUET';

export interface ExtractColumn {
  name: string;
  type: VariableType;
}

export interface ExtractResult {
  rows: number;
  bytes: number;
  sha256: string;
}

/** Rows fetched per cursor round trip. */
const BATCH_ROWS = 1_000;
/** Rows per Parquet row group: the most a Parquet extract holds in memory at once. */
export const ROW_GROUP_ROWS = 10_000;

type Row = Record<string, unknown>;

/** The sink, counting and hashing what it is given; resolves when the sink can take more. */
class CountingSink {
  readonly hash = createHash('sha256');
  bytes = 0;
  constructor(private readonly sink: Writable) {}

  async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.sink.destroyed) throw new Error('the sink was closed');
    if (!this.sink.write(chunk)) await drained(this.sink);
  }
}

/**
 * Streams the statement's rows into `sink`; `sent` is filled in as the stream ends, also when it is
 * cut off (what was sent, and its hash), so a cut-off download is logged truthfully.
 */
/** Resolves when the sink drains, rejects when it closes first; leaves no listener behind. */
function drained(sink: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      sink.off('drain', onDrain);
      sink.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the sink was closed'));
    };
    sink.on('drain', onDrain);
    sink.on('close', onClose);
  });
}

export async function streamExtract(
  client: pg.ClientBase,
  sql: string,
  params: unknown[],
  columns: readonly ExtractColumn[],
  format: ExtractFormat,
  sink: Writable,
  sent: ExtractResult = { rows: 0, bytes: 0, sha256: '' },
  /** Applied to each row before it is encoded (the extract's disclosure control). */
  transform: (row: Row) => Row = (row) => row,
): Promise<ExtractResult> {
  const counting = new CountingSink(sink);
  const stream = client.query(new QueryStream(sql, params, { batchSize: BATCH_ROWS, highWaterMark: BATCH_ROWS }));
  let rows = 0;
  try {
    const encoder = format === 'CSV' ? new CsvEncoder(columns, counting) : new ParquetEncoder(columns, counting);
    const iterator = (stream as AsyncIterable<Row>)[Symbol.asyncIterator]();
    // The first batch before the first byte: a statement that fails, fails before anything is sent.
    let next = await iterator.next();
    await encoder.start();
    while (!next.done) {
      await encoder.add(transform(next.value));
      rows += 1;
      next = await iterator.next();
    }
    await encoder.finish();
  } finally {
    if (!stream.destroyed) stream.destroy();
    Object.assign(sent, { rows, bytes: counting.bytes, sha256: counting.hash.digest('hex') });
  }
  return sent;
}

interface Encoder {
  start(): Promise<void>;
  add(row: Row): Promise<void>;
  finish(): Promise<void>;
}

/** RFC 4180: a header of the column names, CRLF line ends, a field quoted when it holds a comma, quote or line break; null is empty. */
class CsvEncoder implements Encoder {
  private lines: string[] = [];
  constructor(
    private readonly columns: readonly ExtractColumn[],
    private readonly sink: CountingSink,
  ) {}

  start(): Promise<void> {
    return this.sink.write(Buffer.from(`${this.columns.map((column) => csvField(column.name)).join(',')}\r\n`));
  }

  async add(row: Row): Promise<void> {
    this.lines.push(`${this.columns.map((column) => csvField(row[column.name])).join(',')}\r\n`);
    if (this.lines.length >= BATCH_ROWS) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = Buffer.from(this.lines.join(''));
    this.lines = [];
    await this.sink.write(chunk);
  }

  finish(): Promise<void> {
    return this.flush();
  }
}

const PARQUET_TYPE: Record<VariableType, Omit<SchemaElement, 'name'>> = {
  STRING: { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  INTEGER: { type: 'INT32', repetition_type: 'OPTIONAL' },
  DOUBLE: { type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  BOOLEAN: { type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
};

/** The Parquet schema of an extract: one optional column per codebook variable, of its type. */
export function parquetSchema(columns: readonly ExtractColumn[]): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length },
    ...columns.map((column) => ({ name: column.name, ...PARQUET_TYPE[column.type] })),
  ];
}

/** hyparquet-writer's byte writer, emptied into the sink at every flush (after each row group, and at the end). */
class SinkWriter extends ByteWriter {
  constructor(private readonly sink: CountingSink) {
    super(1 << 16);
  }

  private drain(): Promise<void> {
    const chunk = Buffer.from(new Uint8Array(this.buffer, 0, this.index)); // a copy: the buffer is reused
    this.index = 0;
    return this.sink.write(chunk);
  }

  flush(): Promise<void> {
    return this.drain();
  }

  override finish(): Promise<void> {
    return this.drain();
  }
}

class ParquetEncoder implements Encoder {
  private readonly writer: ParquetWriter;
  private readonly byteWriter: SinkWriter;
  private group: unknown[][];

  constructor(
    private readonly columns: readonly ExtractColumn[],
    sink: CountingSink,
  ) {
    this.byteWriter = new SinkWriter(sink);
    this.writer = new ParquetWriter({
      writer: this.byteWriter,
      schema: parquetSchema(columns),
      codec: 'SNAPPY',
      kvMetadata: [{ key: 'ips.codebook', value: 'codebook.json beside this file' }],
    });
    this.group = columns.map(() => []);
  }

  start(): Promise<void> {
    return this.byteWriter.flush(); // the header, PAR1
  }

  async add(row: Row): Promise<void> {
    this.columns.forEach((column, index) => this.group[index]!.push(row[column.name] ?? null));
    if (this.group[0]!.length >= ROW_GROUP_ROWS) await this.writeGroup();
  }

  private async writeGroup(): Promise<void> {
    const size = this.group[0]!.length;
    if (size === 0) return;
    const columnData = this.columns.map((column, index) => ({ name: column.name, data: this.group[index]! }));
    this.group = this.columns.map(() => []);
    await this.writer.write({ columnData, rowGroupSize: size });
  }

  async finish(): Promise<void> {
    await this.writeGroup();
    await this.writer.finish();
  }
}
