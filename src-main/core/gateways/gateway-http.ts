// HTTP to a gateway node's control address (src-daemons/mgw/control.ts) for the console: the
// scraper's GETs and the drill's POSTs. Each request bounded by a timeout, the answer by 4 MB;
// a status other than 2xx is an error that carries the node's own text.
import { request } from 'node:http';

export function nodeHttp(
  at: { readonly address: string; readonly port: number },
  path: string,
  o: { readonly timeoutMs: number; readonly token?: string; readonly method?: 'GET' | 'POST' },
): Promise<string> {
  const { address, port } = at;
  return new Promise((resolve, reject) => {
    const headers = o.token ? { authorization: `Bearer ${o.token}` } : {};
    const req = request({ host: address, port, path, method: o.method ?? 'GET', timeout: o.timeoutMs, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
        if (body.length > 4 * 1024 * 1024) req.destroy(new Error('answer over 4 MB'));
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(body);
        else reject(new Error(`${path} answered ${status}: ${body.trim().slice(0, 200)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${address}:${port}${path} in ${o.timeoutMs} ms`)));
    req.on('error', (err) => reject(err));
    req.end();
  });
}
