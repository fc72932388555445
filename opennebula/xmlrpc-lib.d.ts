/** Types for the two parts of the `xmlrpc` package the client uses directly (its serialiser and its sax deserialiser). */
declare module 'xmlrpc/lib/serializer.js' {
  const serializer: {
    serializeMethodCall(method: string, params: unknown[], encoding?: string): string;
    serializeMethodResponse(value: unknown): string;
    serializeFault(fault: { faultCode: number; faultString: string }): string;
  };
  export default serializer;
}

declare module 'xmlrpc/lib/deserializer.js' {
  import type { Readable } from 'node:stream';
  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodResponse(stream: Readable, callback: (error: (Error & { faultCode?: unknown; faultString?: unknown }) | null | undefined, value?: unknown) => void): void;
    deserializeMethodCall(stream: Readable, callback: (error: Error | null | undefined, method?: string, params?: unknown[]) => void): void;
  }
  export default Deserializer;
}
