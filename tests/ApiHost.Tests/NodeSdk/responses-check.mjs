// responses-check.mjs - drives a running Conversations service with the official Node SDK (openai@7.55.0)
// through the Responses and Conversations APIs, and prints one JSON line per check:
//   {"check":"<name>","pass":true}  or  {"check":"<name>","pass":false,"error":"<what went wrong>"}
// It exits 0 when every check it ran passed. NodeSdkTests.cs runs it against a RunningApiHost.
//
// Environment:
//   CONV_SDK_DIR      folder whose node_modules/openai is the SDK (required)
//   CONV_BASE_URL     the service's address with /v1 (required)
//   CONV_KEY          a user's API key (required)
//   CONV_MODEL        the model to ask (default "offline")
//   CONV_OTHER_KEY    another user's key, for "isolation"
//   CONV_LIMITED_KEY  the key of a user allowed one model request a minute, for "rate_limit"
//   CONV_CHECKS       comma-separated checks to run (default: every check but "busy", which needs a held turn)
//
// The model must quote the user's words in its reply, as the offline model and the fake upstream do.

import path from 'node:path';
import { pathToFileURL } from 'node:url';

const sdk = await import(pathToFileURL(path.join(process.env.CONV_SDK_DIR, 'node_modules/openai/index.mjs')).href);
const { default: OpenAI, BadRequestError, NotFoundError, ConflictError, RateLimitError } = sdk;

const baseURL = process.env.CONV_BASE_URL;
const model = process.env.CONV_MODEL || 'offline';
// No retries: a refusal must surface as the error class a caller sees, not be retried away.
const clientFor = (apiKey) => new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: 60_000 });
const client = clientFor(process.env.CONV_KEY);

class CheckFailed extends Error {}

function expect(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

function expectEqual(actual, expected, what) {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  expect(a === e, `${what}: expected ${e}, got ${a}`);
}

/** Awaits a call that must fail with the SDK's error class `type`, and returns the error. */
async function expectError(call, type, what) {
  try {
    await call;
  } catch (error) {
    expect(error instanceof type, `${what}: expected ${type.name}, got ${error?.constructor?.name}: ${error?.message}`);
    expect(typeof error.error?.message === 'string' && error.error.message.length > 0, `${what}: the error envelope has no message`);
    return error;
  }
  throw new CheckFailed(`${what}: expected ${type.name}, but the call succeeded`);
}

const textOf = (item) =>
  item.type === 'message' ? item.content.map((part) => part.text ?? part.refusal ?? '').join('') : '';

function expectCompleted(response, said, what) {
  expectEqual(response.object, 'response', `${what}.object`);
  expect(response.id.startsWith('resp_'), `${what}.id should start with resp_: ${response.id}`);
  expectEqual(response.status, 'completed', `${what}.status`);
  const message = response.output.find((item) => item.type === 'message');
  expect(message && message.id.startsWith('msg_'), `${what} should have a message item with an id`);
  expectEqual(message.role, 'assistant', `${what} message role`);
  expect(response.output_text.includes(said), `${what}.output_text should quote ${JSON.stringify(said)}: ${response.output_text}`);
  for (const count of ['input_tokens', 'output_tokens', 'total_tokens']) {
    expect(Number.isInteger(response.usage?.[count]), `${what}.usage.${count} should be an integer`);
  }
}

/** Streams with the SDK's helper and returns the final response with every event and delta seen. */
async function streamed(params) {
  const stream = client.responses.stream(params);
  const events = [];
  const deltas = [];
  stream.on('event', (event) => events.push(event));
  stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
  const final = await stream.finalResponse();
  return { final, events, deltas };
}

async function listAll(pages) {
  const all = [];
  for await (const item of pages) {
    all.push(item);
    expect(all.length <= 100, 'auto-pagination does not end');
  }
  return all;
}

const state = {};

const checks = {
  async create() {
    const response = await client.responses.create({ model, input: 'Hello from Node' });
    expectCompleted(response, 'Hello from Node', 'response');
    state.created = response;
  },

  async stream() {
    const { final, events, deltas } = await streamed({ model, input: 'Stream to Node' });
    expectCompleted(final, 'Stream to Node', 'finalResponse()');
    expect(deltas.length > 1, `the text should arrive in several deltas, got ${deltas.length}`);
    expectEqual(deltas.join(''), final.output_text, 'the deltas joined');
    expectEqual(events[0].type, 'response.created', 'the first event');
    expectEqual(events.at(-1).type, 'response.completed', 'the last event');
    expectEqual(events.map((e) => e.sequence_number), events.map((_, i) => i), 'sequence numbers');
  },

  async conversation() {
    const conversation = await client.conversations.create({ metadata: { from: 'node' } });
    expect(conversation.id.startsWith('conv_'), `conversation id: ${conversation.id}`);
    expectEqual(conversation.metadata, { from: 'node' }, 'conversation.metadata');
    const first = await client.responses.create({ model, input: 'First turn', conversation: conversation.id });
    expectCompleted(first, 'First turn', 'turn 1');
    expectEqual(first.conversation, { id: conversation.id }, 'turn 1 conversation');
    const { final: second } = await streamed({ model, input: 'Second turn', conversation: { id: conversation.id } });
    expectCompleted(second, 'Second turn', 'turn 2 (streamed)');
    expectEqual(second.conversation, { id: conversation.id }, 'turn 2 conversation');
    const items = await listAll(client.conversations.items.list(conversation.id, { order: 'asc' }));
    expectEqual(
      items.map((item) => `${item.role}: ${textOf(item)}`),
      ['user: First turn', `assistant: ${first.output_text}`, 'user: Second turn', `assistant: ${second.output_text}`],
      'the conversation items',
    );
    state.conversation = conversation;
  },

  async items() {
    const { conversation } = state;
    expect(conversation, 'needs the conversation check');
    const added = await client.conversations.items.create(conversation.id, {
      items: [{ type: 'message', role: 'user', content: 'Added by Node' }],
    });
    expectEqual(added.data.map(textOf), ['Added by Node'], 'items.create');
    // Auto-pagination one item a page, newest first (the default order).
    const items = await listAll(client.conversations.items.list(conversation.id, { limit: 1 }));
    expectEqual(items.length, 5, 'items read one a page');
    expectEqual(new Set(items.map((item) => item.id)).size, 5, 'distinct items');
    expectEqual(textOf(items[0]), 'Added by Node', 'the newest item first');
    let pages = 0;
    for await (const page of (await client.conversations.items.list(conversation.id, { limit: 2, order: 'asc' })).iterPages()) {
      pages += 1;
      expect(pages <= 10, 'page iteration does not end');
      expectEqual(page.last_id, page.data.at(-1).id, `page ${pages} last_id`);
    }
    expectEqual(pages, 3, 'pages of two');
    const one = await client.conversations.items.retrieve(items[0].id, { conversation_id: conversation.id });
    expectEqual(one.id, items[0].id, 'items.retrieve');
    const afterDelete = await client.conversations.items.delete(items[0].id, { conversation_id: conversation.id });
    expectEqual([afterDelete.object, afterDelete.id], ['conversation', conversation.id], 'items.delete answers the conversation');
    await expectError(client.conversations.items.retrieve(items[0].id, { conversation_id: conversation.id }), NotFoundError, 'a deleted item');
    expectEqual((await listAll(client.conversations.items.list(conversation.id))).length, 4, 'items after the delete');
  },

  async input_tokens() {
    const { conversation } = state;
    expect(conversation, 'needs the conversation check');
    const alone = await client.responses.inputTokens.count({ model, input: 'How many tokens?' });
    expectEqual(alone.object, 'response.input_tokens', 'inputTokens.count().object');
    expect(Number.isInteger(alone.input_tokens) && alone.input_tokens > 0, `input_tokens alone: ${alone.input_tokens}`);
    const withHistory = await client.responses.inputTokens.count({ model, input: 'How many tokens?', conversation: conversation.id });
    expect(withHistory.input_tokens > alone.input_tokens,
      `the conversation's items should count: ${withHistory.input_tokens} with them, ${alone.input_tokens} without`);
  },

  async compact() {
    const compacted = await client.responses.compact({
      model,
      input: [{ role: 'user', content: 'My name is Ada.' }, { role: 'assistant', content: 'Hello, Ada!' }],
    });
    expectEqual(compacted.object, 'response.compaction', 'compact().object');
    const item = compacted.output.find((i) => i.type === 'compaction');
    expect(item && item.id.startsWith('cmp_') && item.encrypted_content.includes('My name is Ada.'),
      `the compaction should summarise the input in readable text: ${JSON.stringify(compacted.output)}`);
    const next = await client.responses.create({ model, input: [...compacted.output, { role: 'user', content: 'Say compacted' }] });
    expectCompleted(next, 'Compacted', 'a response after the compaction');
  },

  async chain() {
    const first = await client.responses.create({ model, input: 'Chain one' });
    const second = await client.responses.create({ model, input: 'Chain two', previous_response_id: first.id });
    expectCompleted(second, 'Chain two', 'second');
    expectEqual(second.previous_response_id, first.id, 'second.previous_response_id');
    const { final: third } = await streamed({ model, input: 'Chain three', previous_response_id: second.id });
    expectCompleted(third, 'Chain three', 'third (streamed)');
    expectEqual(third.previous_response_id, second.id, 'third.previous_response_id');
    const fork = await client.responses.create({ model, input: 'Chain fork', previous_response_id: first.id });
    expectCompleted(fork, 'Chain fork', 'fork');
    expectEqual(fork.previous_response_id, first.id, 'fork.previous_response_id');
    state.chain = { first, second, third };
  },

  async retrieve() {
    const { created } = state;
    expect(created, 'needs the create check');
    const again = await client.responses.retrieve(created.id);
    expectEqual([again.id, again.status, again.output_text], [created.id, 'completed', created.output_text], 'the retrieved response');
  },

  async input_items() {
    const { chain } = state;
    expect(chain, 'needs the chain check');
    const items = await listAll(client.responses.inputItems.list(chain.second.id, { limit: 1 }));
    expect(items.length > 0, 'no input items');
    expect(items.every((item) => typeof item.id === 'string' && item.id.length > 0), 'every input item needs an id');
    expect(items.some((item) => item.role === 'user' && textOf(item) === 'Chain two'), `the input items lack "Chain two": ${JSON.stringify(items)}`);
  },

  async store_false() {
    const unstored = await client.responses.create({ model, input: 'Forget this', store: false });
    expectCompleted(unstored, 'Forget this', 'unstored');
    expectEqual(unstored.store, false, 'unstored.store');
    await expectError(client.responses.retrieve(unstored.id), NotFoundError, 'retrieving an unstored response');
    await expectError(client.responses.create({ model, input: 'x', previous_response_id: unstored.id }), BadRequestError, 'continuing an unstored response');
  },

  async delete() {
    const { chain } = state;
    expect(chain, 'needs the chain check');
    await client.responses.delete(chain.third.id);
    await expectError(client.responses.retrieve(chain.third.id), NotFoundError, 'retrieving a deleted response');
    const conversation = await client.conversations.create({});
    const deleted = await client.conversations.delete(conversation.id);
    expectEqual(deleted, { id: conversation.id, object: 'conversation.deleted', deleted: true }, 'conversations.delete');
    await expectError(client.conversations.retrieve(conversation.id), NotFoundError, 'retrieving a deleted conversation');
  },

  async errors() {
    const unknownPrevious = await expectError(
      client.responses.create({ model, input: 'x', previous_response_id: 'resp_00000000000000000000000000000000' }),
      BadRequestError,
      'an unknown previous_response_id',
    );
    expectEqual([unknownPrevious.status, unknownPrevious.code, unknownPrevious.param], [400, 'previous_response_not_found', 'previous_response_id'], 'its status, code and param');
    const conversation = await client.conversations.create();
    const both = await expectError(
      client.responses.create({ model, input: 'x', conversation: conversation.id, previous_response_id: state.created?.id ?? 'resp_00000000000000000000000000000000' }),
      BadRequestError,
      'conversation and previous_response_id together',
    );
    expect(/conversation/.test(both.message) && /previous_response_id/.test(both.message), `the message should name both: ${both.message}`);
    const hosted = await expectError(
      client.responses.create({ model, input: 'x', tools: [{ type: 'web_search' }] }),
      BadRequestError,
      'a hosted tool',
    );
    expectEqual(hosted.param, 'tools[0].type', 'the hosted tool param');
    await expectError(client.responses.retrieve('resp_00000000000000000000000000000000'), NotFoundError, 'an unknown response');
    await expectError(client.conversations.retrieve('conv_00000000000000000000000000000000'), NotFoundError, 'an unknown conversation');
    await expectError(
      client.responses.create({ model, input: 'x', conversation: 'conv_00000000000000000000000000000000' }),
      NotFoundError,
      'a turn on an unknown conversation',
    );
  },

  async isolation() {
    const { created, conversation } = state;
    expect(created && conversation, 'needs the create and conversation checks');
    const other = clientFor(process.env.CONV_OTHER_KEY);
    await expectError(other.responses.retrieve(created.id), NotFoundError, "retrieving another user's response");
    await expectError(listAll(other.responses.inputItems.list(created.id)), NotFoundError, "another user's input items");
    await expectError(other.responses.delete(created.id), NotFoundError, "deleting another user's response");
    await expectError(other.responses.create({ model, input: 'x', previous_response_id: created.id }), BadRequestError, "continuing another user's response");
    await expectError(other.conversations.retrieve(conversation.id), NotFoundError, "another user's conversation");
    await expectError(listAll(other.conversations.items.list(conversation.id)), NotFoundError, "another user's items");
    await expectError(other.responses.create({ model, input: 'x', conversation: conversation.id }), NotFoundError, "a turn on another user's conversation");
    expectEqual((await client.responses.retrieve(created.id)).id, created.id, 'the owner still has the response');
  },

  async rate_limit() {
    const limited = clientFor(process.env.CONV_LIMITED_KEY);
    await limited.responses.create({ model, input: 'My one request' });
    const refused = await expectError(limited.responses.create({ model, input: 'One too many' }), RateLimitError, 'a request over the rate');
    expectEqual([refused.status, refused.code], [429, 'rate_limit_exceeded'], 'its status and code');
  },

  async busy() {
    const conversation = await client.conversations.create();
    const stream = client.responses.stream({ model, input: 'Tell me a long story', conversation: conversation.id });
    const ended = stream.finalResponse().catch(() => 'ended');
    await new Promise((resolve, reject) => {
      stream.on('response.output_text.delta', resolve);
      ended.then(() => reject(new CheckFailed('the first turn ended before a second could be sent')));
    });
    const busy = await expectError(
      client.responses.create({ model, input: 'Are you there?', conversation: conversation.id }),
      ConflictError,
      'a second turn while the first runs',
    );
    expectEqual([busy.status, busy.code], [409, 'conversation_busy'], 'its status and code');
    stream.abort();
    await ended;
  },
};

const chosen = process.env.CONV_CHECKS
  ? process.env.CONV_CHECKS.split(',').map((name) => name.trim())
  : Object.keys(checks).filter((name) => name !== 'busy');
let failed = 0;
for (const name of chosen) {
  const line = { check: name, pass: true };
  try {
    expect(checks[name], `no check named ${name}`);
    await checks[name]();
  } catch (error) {
    failed += 1;
    Object.assign(line, { pass: false, error: `${error?.constructor?.name}: ${error?.message}` });
  }
  console.log(JSON.stringify(line));
}
process.exit(failed === 0 ? 0 : 1);
