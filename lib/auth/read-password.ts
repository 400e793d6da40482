/**
 * Reads one password line from a stream: piped input (`echo … | dasboard users add`) or a
 * terminal, where the prompt goes to stderr and typing is not echoed.
 */

const MAX_BYTES = 4096;

export async function readPassword(stdin: NodeJS.ReadableStream, prompt: string): Promise<string> {
  const setRawMode = terminalRawMode(stdin);
  const isTerminal = setRawMode !== undefined;
  if (isTerminal) process.stderr.write(prompt);
  setRawMode?.(true);
  try {
    const line = await readLine(stdin, isTerminal);
    if (isTerminal) process.stderr.write('\n');
    if (line.length === 0) throw new Error('no password on stdin');
    return line;
  } finally {
    setRawMode?.(false);
    stdin.pause();
  }
}

function terminalRawMode(stdin: NodeJS.ReadableStream): ((on: boolean) => void) | undefined {
  if (!('isTTY' in stdin) || stdin.isTTY !== true) return undefined;
  if (!('setRawMode' in stdin) || typeof stdin.setRawMode !== 'function') return undefined;
  const { setRawMode } = stdin;
  return (on) => {
    setRawMode.call(stdin, on);
  };
}

function readLine(stdin: NodeJS.ReadableStream, isTerminal: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      if (error) reject(error);
      else resolve(text.replace(/\r$/, ''));
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\n' || ch === '\r') return finish();
        if (isTerminal && ch === '\u0003') return finish(new Error('cancelled'));
        if (isTerminal && (ch === '\u007f' || ch === '\b')) {
          text = text.slice(0, -1);
          continue;
        }
        text += ch;
        if (text.length > MAX_BYTES) return finish(new Error('password too long'));
      }
    };
    const onEnd = () => finish();
    const onError = (err: Error) => finish(err);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.on('error', onError);
    stdin.resume();
  });
}
