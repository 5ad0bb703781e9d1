// Independent clients, none of them Mesh SDK's, against the same registry and broker.
//
// usage: node check.js <registry base URL> <request.json>
//   request: {"decode": ["<base64 framed record>", ...], "encode": {"schemaId": N, "values": [{...}]}}
//   prints:  {"decoded": [{...}], "encoded": ["<base64 framed record>", ...]}
//   (@kafkajs/confluent-schema-registry, which uses avsc)
//
// usage: node check.js <registry base URL> consume <brokers> <topic> <count>
//   reads <count> records of <topic> from the beginning with kafkajs 2.2.4 and its default
//   settings (no extra compression codecs), decodes each value through the registry
//   prints:  {"records": [{"key": "...", "headers": {"ce_id": "...", ...}, "value": {...}}, ...]}
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry')
const fs = require('fs')

async function convert (url, file) {
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
  return { decoded, encoded }
}

async function consume (url, brokers, topic, count) {
  const { Kafka, logLevel } = require('kafkajs')
  const registry = new SchemaRegistry({ host: url })
  const kafka = new Kafka({ clientId: 'node-check', brokers: brokers.split(','), logLevel: logLevel.ERROR })
  const consumer = kafka.consumer({ groupId: 'node-check-' + Date.now() })
  const records = []
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  let failure = null
  const done = new Promise((resolve) => {
    // a batch kafkajs cannot read (a codec it lacks, such as lz4) crashes the consumer: report why
    consumer.on(consumer.events.CRASH, (e) => { failure = e.payload.error; resolve() })
    consumer.run({
      eachMessage: async ({ message }) => {
        try {
          const headers = {}
          for (const [k, v] of Object.entries(message.headers || {})) {
            headers[k] = v === null ? null : v.toString('utf8')
          }
          records.push({
            key: message.key === null ? null : message.key.toString('utf8'),
            headers,
            value: message.value === null ? null : await registry.decode(message.value)
          })
        } catch (e) {
          failure = e
        }
        if (records.length >= count || failure) resolve()
      }
    }).catch((e) => { failure = e; resolve() })
  })
  const timeout = new Promise((resolve) => setTimeout(resolve, 60000))
  await Promise.race([done, timeout])
  await consumer.disconnect()
  if (failure) throw failure
  return { records }
}

async function main () {
  const args = process.argv.slice(2)
  const out = args[1] === 'consume'
    ? await consume(args[0], args[2], args[3], parseInt(args[4], 10))
    : await convert(args[0], args[1])
  process.stdout.write(JSON.stringify(out))
}

main().catch(e => {
  console.error(e.stack || String(e))
  process.exit(1)
})
