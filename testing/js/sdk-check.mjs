// Talks to an MCP server with the official TypeScript SDK v2 client and prints one JSON line per wire.
// Usage: node sdk-check.mjs URL   (run by SdkClientInteropTest; needs Node 22 and npm ci in this folder)
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const url = new URL(process.argv[2]);
for (const [wire, mode] of [['2026', { pin: '2026-07-28' }], ['2025', 'legacy']]) {
  const client = new Client({ name: 'sdk-check', version: '1.0.0' },
    { capabilities: { elicitation: {} }, versionNegotiation: { mode } });
  client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Zed' } }));
  const line = { wire };
  try {
    await client.connect(new StreamableHTTPClientTransport(url));
    line.tools = (await client.listTools()).tools.length;
    line.text = (await client.callTool({ name: 'test_simple_text', arguments: {} })).content[0].text;
    line.elicited = (await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} }))
      .content[0].text;
    await client.close();
  } catch (e) {
    line.error = String(e && e.message || e);
  }
  console.log(JSON.stringify(line));
}
