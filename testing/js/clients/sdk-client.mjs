// Drives Portcullis (or any MCP server) with an official TypeScript SDK client and prints what happened as JSON.
//
//   node sdk-client.mjs '<plan>'
//
// The plan is one JSON object:
//   sdk        "v2" (@modelcontextprotocol/client, pinned to 2026-07-28) or "v1" (@modelcontextprotocol/sdk, 2025-11-25)
//   url        the MCP endpoint (Streamable HTTP), or
//   stdio      { command, args, env } to launch a stdio server (each SDK's StdioClientTransport)
//   key        bearer API key sent in the Authorization header (HTTP only; omitted when absent)
//   sessionId  (v1 HTTP) reuse this Mcp-Session-Id instead of initializing: a client claiming someone else's session
//   steps      [{ op: "listTools" | "callTool" | "listPrompts" | "listResources" | "readResource" | "getPrompt",
//                 name, arguments, uri, meta }]
//
// Output (stdout, one line): { connected, error?, sessionId?, protocolVersion?, steps: [{ ok, result } | { ok: false,
// error: { code, message, data } }] }. The script exits 0 whenever it could report; assertions live in the JUnit test.
const plan = JSON.parse(process.argv[2] ?? '{}');
const out = { connected: false, steps: [] };

function describe(e) {
  return {
    name: e?.name,
    code: e?.code,
    message: String(e?.message ?? e),
    data: e?.data,
  };
}

async function v2Client() {
  const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  const client = new Client({ name: 'portcullis-interop-v2', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  if (plan.stdio) {
    const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
    return { client, transport: new StdioClientTransport(stdioParameters()) };
  }
  const headers = plan.key ? { Authorization: `Bearer ${plan.key}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL(plan.url), { requestInit: { headers } });
  return { client, transport };
}

function stdioParameters() {
  return {
    command: plan.stdio.command,
    args: plan.stdio.args ?? [],
    env: { ...process.env, ...(plan.stdio.env ?? {}) },
    stderr: 'inherit',
  };
}

async function v1Client() {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const client = new Client({ name: 'portcullis-interop-v1', version: '1.0.0' }, { capabilities: {} });
  if (plan.stdio) {
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    return { client, transport: new StdioClientTransport(stdioParameters()) };
  }
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  const headers = plan.key ? { Authorization: `Bearer ${plan.key}` } : {};
  const options = { requestInit: { headers } };
  if (plan.sessionId) {
    options.sessionId = plan.sessionId;
  }
  const transport = new StreamableHTTPClientTransport(new URL(plan.url), options);
  return { client, transport };
}

async function step(client, s) {
  const withMeta = (params) => (s.meta ? { ...params, _meta: s.meta } : params);
  switch (s.op) {
    case 'listTools': return client.listTools(withMeta({}));
    case 'listPrompts': return client.listPrompts(withMeta({}));
    case 'listResources': return client.listResources(withMeta({}));
    case 'readResource': return client.readResource(withMeta({ uri: s.uri }));
    case 'getPrompt': return client.getPrompt(withMeta({ name: s.name, arguments: s.arguments ?? {} }));
    case 'callTool': return client.callTool(withMeta({ name: s.name, arguments: s.arguments ?? {} }));
    default: throw new Error(`unknown op '${s.op}'`);
  }
}

async function main() {
  const { client, transport } = plan.sdk === 'v2' ? await v2Client() : await v1Client();
  try {
    await client.connect(transport);
    out.connected = true;
    out.sessionId = transport.sessionId;
    out.protocolVersion = typeof client.getNegotiatedProtocolVersion === 'function'
      ? client.getNegotiatedProtocolVersion() : transport.protocolVersion;
  } catch (e) {
    out.error = describe(e);
  }
  if (out.connected) {
    for (const s of plan.steps ?? []) {
      try {
        out.steps.push({ ok: true, result: await step(client, s) });
      } catch (e) {
        out.steps.push({ ok: false, error: describe(e) });
      }
    }
  }
  // Leave the session open: a test may hand its id to another client (foreign Mcp-Session-Id).
  if (plan.keepOpen && transport.sessionId) {
    process.stdout.write(JSON.stringify(out) + '\n');
    process.exit(0);
  }
  try {
    await client.close();
  } catch (e) {
    out.closeError = describe(e);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}

main().catch((e) => {
  out.error = describe(e);
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
});
