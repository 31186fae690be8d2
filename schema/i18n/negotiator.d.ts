/** The part of negotiator 1.x this project uses (the package ships no types). */
declare module 'negotiator' {
  interface NegotiatorRequest {
    headers: Record<string, string | string[] | undefined>;
  }
  export default class Negotiator {
    constructor(request: NegotiatorRequest);
    language(available?: string[]): string | undefined;
    languages(available?: string[]): string[];
  }
}
