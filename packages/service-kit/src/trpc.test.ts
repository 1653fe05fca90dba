import { TRPCClientError } from '@trpc/client';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createServiceClient } from './client.js';
import { publicProcedure, router, syncInput } from './trpc.js';

const BatchSchema = z.object({
  items: z.array(z.object({ name: z.string().min(1), weight: z.number().default(1) })).max(3),
});

function batchRouter(schema: z.ZodType<z.output<typeof BatchSchema>, z.input<typeof BatchSchema>>) {
  return router({
    total: publicProcedure
      .input(syncInput(schema))
      .mutation(({ input }) => input.items.reduce((sum, item) => sum + item.weight, 0)),
  });
}

describe('syncInput', () => {
  it('validates with parse, never parseAsync, and applies defaults', async () => {
    const parse = vi.spyOn(BatchSchema, 'parse');
    const parseAsync = vi.spyOn(BatchSchema, 'parseAsync');
    const client = createServiceClient({ router: batchRouter(BatchSchema) });
    const total = await client.total.mutate({ items: [{ name: 'a', weight: 2 }, { name: 'b' }] });
    expect(total).toBe(3);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(parseAsync).not.toHaveBeenCalled();
    parse.mockRestore();
    parseAsync.mockRestore();
  });

  it('turns a ZodError into BAD_REQUEST with the field path', async () => {
    const client = createServiceClient({ router: batchRouter(BatchSchema) });
    const failure = await client.total.mutate({ items: [{ name: 'a' }, { name: '' }] }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TRPCClientError);
    const data = (failure as TRPCClientError<ReturnType<typeof batchRouter>>).data;
    expect(data?.code).toBe('BAD_REQUEST');
    expect(data?.issues).toEqual([{ path: 'items.1.name', message: expect.stringMatching(/>=1 char/) }]);
  });
});
