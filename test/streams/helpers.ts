/** Read a Web stream to its end: the items it gave, and the error it failed with, if any. */
export async function drain<T>(stream: ReadableStream<T>): Promise<{ items: T[]; error?: unknown }> {
  const items: T[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { items };
      items.push(value);
    }
  } catch (error) {
    return { items, error };
  }
}
