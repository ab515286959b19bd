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
    createToolCallAssembler({ tools: resolveToolSchemas(mcp, z.fromJSONSchema) });
    createToolCallAssembler({ tools: resolveToolSchemas(mcp.tools, z.fromJSONSchema) });
    createToolCallAssembler({ tools: resolveToolSchemas(responses, z.fromJSONSchema) });
    createToolCallAssembler({ tools: resolveToolSchemas(anthropic, z.fromJSONSchema) });
    resolveToolSchemas(openai.flatMap((t) => (t.type === 'function' ? [t] : [])), z.fromJSONSchema);
  });

  it('JSON Schema tools give unknown arguments; zod tools keep their types', () => {
    createToolCallAssembler({
      tools: resolveToolSchemas({ w: { type: 'object', properties: { city: { type: 'string' } } } }, z.fromJSONSchema),
      onToolCall: (call) => expectTypeOf(call.arguments).toEqualTypeOf<unknown>(),
    });
    // @ts-expect-error JSON Schemas go through resolveToolSchemas first
    createToolCallAssembler({ tools: { w: { type: 'object' } } });
    createToolCallAssembler({
      tools: { w: z.object({ city: z.string() }) },
      onToolCall: (call) => expectTypeOf(call.arguments).toEqualTypeOf<{ city: string }>(),
    });
  });
});
