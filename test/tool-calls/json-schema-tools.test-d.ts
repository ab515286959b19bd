import type { ListToolsResult } from '@modelcontextprotocol/sdk/types.js';
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createToolCallAssembler, resolveToolSchemas, type FromJsonSchema } from '../../src/tool-calls/index.js';

describe('JSON Schema tools: types', () => {
  it("zod's own fromJSONSchema fits, and the SDKs' tool types are accepted as they are", () => {
    expectTypeOf(z.fromJSONSchema).toExtend<FromJsonSchema>();
    const mcp = {} as ListToolsResult;
    const openai = [] as OpenAI.Chat.Completions.ChatCompletionTool[];
    const responses = [] as OpenAI.Responses.FunctionTool[];
    const anthropic = [] as Anthropic.Messages.Tool[];
    createToolCallAssembler({ tools: mcp, fromJSONSchema: z.fromJSONSchema });
    createToolCallAssembler({ tools: mcp.tools, fromJSONSchema: z.fromJSONSchema });
    createToolCallAssembler({ tools: responses, fromJSONSchema: z.fromJSONSchema });
    createToolCallAssembler({ tools: anthropic, fromJSONSchema: z.fromJSONSchema });
    resolveToolSchemas(openai.flatMap((t) => (t.type === 'function' ? [t] : [])), z.fromJSONSchema);
  });

  it('JSON Schema tools give unknown arguments; zod tools keep their types', () => {
    createToolCallAssembler({
      tools: { w: { type: 'object', properties: { city: { type: 'string' } } } },
      fromJSONSchema: z.fromJSONSchema,
      onToolCall: (call) => expectTypeOf(call.arguments).toEqualTypeOf<unknown>(),
    });
    createToolCallAssembler({
      tools: { w: z.object({ city: z.string() }) },
      onToolCall: (call) => expectTypeOf(call.arguments).toEqualTypeOf<{ city: string }>(),
    });
  });
});
