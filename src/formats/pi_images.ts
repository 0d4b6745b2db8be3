/**
 * Images in Pi coding agent messages, both ways. Pi stores an image as a
 * content block `{type:"image", data (base64), mimeType}`:
 * - in a `user` message, after its text: an `@file` argument naming an image
 *   becomes `<file name="/abs/path"></file>` in the text (hints, when Pi
 *   resized it, go between the tags) plus one image block, in argument order;
 * - in a `toolResult` message, after its text: the `read` tool gives
 *   `Read image file [image/png]` and the image.
 *
 * On the wire to an OpenAI Chat Completions model (which has no images in
 * `tool` messages), Pi sends a result's images in a separate user message
 * that starts with {@linkcode PI_TOOL_IMAGES_TEXT}; Pi's own files keep them
 * in the result, but a transcript taken from the wire may hold that message,
 * and the reader gives its images back to the tool result.
 *
 * @module
 */
import type { ImageContent, Warning } from "../model/types.ts";
import { isRecord } from "../internal/jsonl.ts";

/** The text of the user message that carries tool-result images on Pi's Chat Completions wire. */
export const PI_TOOL_IMAGES_TEXT = "Attached image(s) from tool result:";

/**
 * The images of a Pi message content (its `image` blocks with base64 `data`).
 *
 * @param content A message `content` (a string has none).
 * @returns The images, in order; empty when there are none.
 *
 * @example
 * ```ts
 * import { piContentImages } from "./pi_images.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   piContentImages([{ type: "text", text: "hi" }, { type: "image", data: "AA==", mimeType: "image/png" }]),
 *   [{ mediaType: "image/png", data: "AA==" }],
 * );
 * ```
 */
export function piContentImages(content: unknown): ImageContent[] {
  if (!Array.isArray(content)) return [];
  const images: ImageContent[] = [];
  for (const block of content) {
    if (!isRecord(block) || block.type !== "image" || typeof block.data !== "string") continue;
    const mediaType = typeof block.mimeType === "string" && block.mimeType !== ""
      ? block.mimeType
      : "application/octet-stream";
    images.push({ mediaType, data: block.data });
  }
  return images;
}

/**
 * The files a Pi user prompt attached as images: the names of its
 * `<file name="…">` tags whose body is empty or Pi's resize hints (a text
 * file's body starts with a newline), in order.
 *
 * @param text The user message text.
 * @returns The file names.
 *
 * @example
 * ```ts
 * import { piAttachedImageNames } from "./pi_images.ts";
 * import assert from "node:assert/strict";
 *
 * const text = '<file name="/p/a.png"></file>\n<file name="/p/b.txt">\nhello\n</file>\nLook';
 * assert.deepEqual(piAttachedImageNames(text), ["/p/a.png"]);
 * ```
 */
export function piAttachedImageNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/<file name="([^"]*)">(?!\n)[\s\S]*?<\/file>/g)) {
    if (match[1] !== undefined && match[1] !== "") names.push(match[1]);
  }
  return names;
}

/**
 * Names images after their files, in order, when there are exactly as many
 * names as images (otherwise which name goes with which image is unknown).
 *
 * @param images The images (not changed).
 * @param names File names in the same order.
 * @returns The images, with `source` set when the counts match.
 */
export function namePiImages(images: ImageContent[], names: readonly string[]): ImageContent[] {
  if (names.length !== images.length) return images;
  return images.map((image, i) =>
    image.source === undefined ? { ...image, source: names[i] as string } : image
  );
}

/**
 * Whether a Pi user message only carries a tool result's images (the
 * separate message of Pi's Chat Completions wire, {@linkcode PI_TOOL_IMAGES_TEXT}).
 *
 * @param text The message text.
 * @param images Its images.
 * @returns `true` when the images belong to the tool result before it.
 */
export function isPiToolImagesMessage(text: string, images: readonly ImageContent[]): boolean {
  return images.length > 0 && text.trim() === PI_TOOL_IMAGES_TEXT;
}

/**
 * Pi `image` blocks for canonical images; an image whose bytes were not kept
 * cannot be written and gets a `dropped-image` warning instead.
 *
 * @param images The images (none gives none).
 * @param where Names the message or result, for warnings.
 * @param warnings Where warnings go.
 * @returns The blocks, in order.
 *
 * @example
 * ```ts
 * import { piImageBlocks } from "./pi_images.ts";
 * import type { Warning } from "../model/types.ts";
 * import assert from "node:assert/strict";
 *
 * const warnings: Warning[] = [];
 * const blocks = piImageBlocks(
 *   [{ mediaType: "image/png", data: "AA==" }, { mediaType: "image/png", source: "gone.png" }],
 *   "message 1",
 *   warnings,
 * );
 * assert.deepEqual(blocks, [{ type: "image", data: "AA==", mimeType: "image/png" }]);
 * assert.equal(warnings.length, 1);
 * ```
 */
export function piImageBlocks(
  images: readonly ImageContent[] | undefined,
  where: string,
  warnings: Warning[],
): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  for (const image of images ?? []) {
    if (image.data === undefined || image.data === "") {
      const name = image.source === undefined ? image.mediaType : `"${image.source}"`;
      warnings.push({
        code: "dropped-image",
        message: `Dropped an image (${name}) of ${where}: its bytes were not kept`,
      });
      continue;
    }
    blocks.push({ type: "image", data: image.data, mimeType: image.mediaType });
  }
  return blocks;
}
