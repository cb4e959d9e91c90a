// What the XML parsers share: fast-xml-parser set up as libvirt's XML needs it (attributes as
// "@name", every value a string), and the small readers of its nodes. Pure.
import { XMLParser } from 'fast-xml-parser';

export type Node = Record<string, unknown>;

/** attributes as "@name", values kept as the text they are; `arrays`: the elements always read as lists */
export function xmlParser(arrays: readonly string[] = []): XMLParser {
  return new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false,
    ...(arrays.length ? { isArray: (name: string) => arrays.includes(name) } : {}),
  });
}

/** an element (an empty one, `<x/>`, is an empty node) */
export const obj = (v: unknown): Node | undefined => (v && typeof v === 'object' ? (v as Node) : v === '' ? {} : undefined);
/** an attribute or an element's text */
export const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? String((v as Node)['#text'] ?? '') : String(v));
/** one element or several, as a list */
export const list = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(obj).filter((x): x is Node => !!x);
/** the first of one element or several */
export const first = (v: unknown): Node | undefined => obj(Array.isArray(v) ? v[0] : v);
