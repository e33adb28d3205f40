/**
 * A forward HTTP proxy on 127.0.0.1 for the proxy tests: it tunnels `CONNECT host:port` (what
 * undici's ProxyAgent sends, also for http URLs) and forwards absolute-form requests
 * (`GET http://host/…`), and records the target of each. `hosts` maps names only the proxy knows
 * (`arxiv.test`) to a local address, so a request to such a name can only succeed through it:
 * `@actions/http-client` never proxies loopback addresses, so the fakes are addressed by name.
 *
 * ```ts
 * const proxy = await startForwardProxy({ 'arxiv.test': '127.0.0.1' })
 * process.env.HTTP_PROXY = proxy.url
 * // fetch http://arxiv.test:<fake port>/api/query → proxy.targets: ['arxiv.test:<port>']
 * ```
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

export interface ForwardProxy {
  /** `http://127.0.0.1:<port>`, for HTTP_PROXY / HTTPS_PROXY. */
  url: string
  /** `host:port` of every tunnel or request, in order, as the client named it. */
  targets: string[]
  close(): Promise<void>
}

export async function startForwardProxy(hosts: Record<string, string> = {}): Promise<ForwardProxy> {
  const targets: string[] = []
  const sockets = new Set<Socket>()
  const resolve = (host: string) => hosts[host] ?? host

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Absolute-form request of a plain-HTTP proxy client.
    let target: URL
    try {
      target = new URL(req.url ?? '')
    } catch {
      res.writeHead(400).end('absolute URL expected')
      return
    }
    targets.push(target.host)
    const upstream = request(
      {
        host: resolve(target.hostname),
        port: target.port || 80,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: req.headers
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/)
    targets.push(req.url ?? '')
    const upstream = connect(Number(port), resolve(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    }
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'))
    client.on('error', () => upstream.destroy())
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    close: () =>
      new Promise(done => {
        for (const socket of sockets) socket.destroy()
        server.close(() => done())
      })
  }
}
