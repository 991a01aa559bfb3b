import { InputError } from './errors.ts';

/** Parses JSON text; a syntax error becomes an InputError naming the file, line and column. */
export function parseJsonText(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    let where = fileName;
    if (lineColumn) {
      where = `${fileName}:${lineColumn[1]}:${lineColumn[2]}`;
    } else if (position) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      where = `${fileName}:${line}:${column}`;
    } else if (/Unexpected end of JSON input/.test(message)) {
      const lines = text.split('\n');
      where = `${fileName}:${lines.length}:${(lines.at(-1) ?? '').length + 1}`;
    }
    const reason = `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')}`;
    throw new InputError(`${fileName}: not a valid channel document`, [{ where, reason }]);
  }
}
