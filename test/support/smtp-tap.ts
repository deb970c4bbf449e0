import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/**
 * A transparent TCP relay in front of a real SMTP server, so that a test knows where a
 * conversation is: it passes every byte on unchanged and calls `onCommand` with each line the
 * client sends, before passing that line on. Not a mock: the real server answers everything.
 */
export interface SmtpTap {
  /** smtp://127.0.0.1:<port> for the worker's SMTP_URL. */
  url: string;
  /** How many connections the clients opened so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startSmtpTap(
  upstreamUrl: string,
  onCommand: (line: string, connection: number) => void = () => undefined,
): Promise<SmtpTap> {
  const upstream = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  let opened = 0;
  const server: Server = createServer((client) => {
    const connection = ++opened;
    const server = connect(Number(upstream.port), upstream.hostname);
    for (const s of [client, server]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    server.on('data', (chunk: Buffer) => client.write(chunk));
    server.on('close', () => client.destroy());
    let pending = '';
    client.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      const lines = pending.split('\r\n');
      pending = lines.pop()!;
      for (const line of lines) onCommand(line, connection);
      server.write(chunk);
    });
    client.on('close', () => server.destroy());
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections: () => opened,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolveClose());
      }),
  };
}
