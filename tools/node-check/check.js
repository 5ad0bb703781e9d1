// An independent Confluent client (@kafkajs/confluent-schema-registry, avsc) against the same
// registry as Mesh SDK: decodes what the SDK wrote, encodes values for the SDK to read.
// usage: node check.js <registry base URL> <request.json>
// request: {"decode": ["<base64 framed record>", ...], "encode": {"schemaId": N, "values": [{...}]}}
// prints:  {"decoded": [{...}], "encoded": ["<base64 framed record>", ...]}
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry')
const fs = require('fs')

async function main () {
  const [url, file] = process.argv.slice(2)
  const request = JSON.parse(fs.readFileSync(file, 'utf8'))
  const registry = new SchemaRegistry({ host: url })
  const decoded = []
  for (const b64 of request.decode) {
    decoded.push(await registry.decode(Buffer.from(b64, 'base64')))
  }
  const encoded = []
  for (const value of request.encode.values) {
    encoded.push((await registry.encode(request.encode.schemaId, value)).toString('base64'))
  }
  process.stdout.write(JSON.stringify({ decoded, encoded }))
}

main().catch(e => {
  console.error(e.stack || String(e))
  process.exit(1)
})
