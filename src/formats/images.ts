/**
 * Small pure helpers for canonical images ({@linkcode ImageContent}): data URLs,
 * media types from file names, and the image kinds model APIs accept.
 *
 * @module
 */
import type { ImageContent } from "../model/types.ts";

/** The media types the Anthropic Messages API accepts in a base64 `image` block. */
export const ANTHROPIC_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
]);

/** The largest image the Anthropic Messages API accepts, in decoded bytes (5 MB). */
export const ANTHROPIC_MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const EXTENSION_TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
  svg: "image/svg+xml",
  tif: "image/tiff",
  tiff: "image/tiff",
  heic: "image/heic",
  heif: "image/heif",
  avif: "image/avif",
};

/**
 * The image media type a file name or URL suggests, from its extension.
 *
 * @param name A path, file name or URL.
 * @returns The media type, or `undefined` for an unknown extension.
 *
 * @example
 * ```ts
 * import { imageTypeFromName } from "./images.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(imageTypeFromName("/tmp/Shot.PNG"), "image/png");
 * assert.equal(imageTypeFromName("notes.txt"), undefined);
 * ```
 */
export function imageTypeFromName(name: string): string | undefined {
  const match = /\.([A-Za-z0-9]+)(?:[?#].*)?$/.exec(name);
  return match?.[1] === undefined ? undefined : EXTENSION_TYPES[match[1].toLowerCase()];
}

/**
 * Splits a base64 `data:` URL into its media type and data.
 *
 * @param url The URL, e.g. `data:image/png;base64,iVBOR…`.
 * @returns The parts, or `undefined` when the URL is not a base64 data URL.
 *
 * @example
 * ```ts
 * import { parseDataUrl } from "./images.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseDataUrl("data:image/png;base64,AAAA"), {
 *   mediaType: "image/png",
 *   data: "AAAA",
 * });
 * assert.equal(parseDataUrl("file:///tmp/a.png"), undefined);
 * ```
 */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]*)((?:;[^;,]*)*);base64,(.*)$/s.exec(url);
  if (match === null) return undefined;
  return { mediaType: match[1] || "application/octet-stream", data: match[3] as string };
}

/**
 * A base64 `data:` URL for an image that kept its bytes.
 *
 * @param image The image.
 * @returns The URL, or `undefined` when the image has no data.
 */
export function imageDataUrl(image: ImageContent): string | undefined {
  return image.data === undefined ? undefined : `data:${image.mediaType};base64,${image.data}`;
}

/**
 * The decoded size of base64 data, in bytes.
 *
 * @param data Base64 text.
 * @returns The byte count.
 */
export function base64Bytes(data: string): number {
  const clean = data.replace(/\s+/g, "");
  const padding = clean.endsWith("==") ? 2 : clean.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

/**
 * Why an image cannot go to the Anthropic Messages API as a base64 block, if it cannot.
 *
 * @param image The image.
 * @returns A short reason, or `undefined` when it can be sent.
 */
export function anthropicImageProblem(image: ImageContent): string | undefined {
  if (image.data === undefined || image.data === "") return "its bytes were not kept";
  if (!ANTHROPIC_IMAGE_TYPES.has(image.mediaType)) {
    return `${image.mediaType} is not one of image/jpeg, image/png, image/gif, image/webp`;
  }
  if (base64Bytes(image.data) > ANTHROPIC_MAX_IMAGE_BYTES) return "it is larger than 5 MB";
  return undefined;
}
