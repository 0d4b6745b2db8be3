/**
 * Images in Codex rollouts: `input_image` parts (`image_url` is a `data:` URL,
 * or a plain URL) in user messages and in tool-output content arrays, and the
 * `<image name=[Image #N] path="…">` … `</image>` text parts Codex puts around
 * an image the user attached.
 *
 * @module
 */
import type { ImageContent, Warning } from "../../model/types.ts";
import { flattenContent } from "../../model/normalize.ts";
import { isRecord } from "../../internal/jsonl.ts";
import { imageTypeFromName, parseDataUrl } from "../../formats/images.ts";

/**
 * The canonical image of an `image_url`: a base64 `data:` URL gives its media
 * type and data, any other URL is kept as the source.
 *
 * @param url The `image_url` value.
 * @returns The image, or `undefined` for an empty or non-string value.
 */
export function imageOfUrl(url: unknown): ImageContent | undefined {
  if (typeof url !== "string" || url.trim() === "") return undefined;
  const data = parseDataUrl(url);
  if (data !== undefined) return data;
  return { mediaType: imageTypeFromName(url) ?? "image/*", source: url };
}

/** The path in an `<image name=[Image #1] path="…">` open tag. */
function tagSource(text: string): string | undefined {
  return /\spath="(.*)">$/s.exec(text)?.[1];
}

function isOpenTag(text: string): boolean {
  return text === "<image>" || (text.startsWith("<image name=") && text.endsWith(">"));
}

/** What a content array holds: its text parts and its images. */
export interface SplitContent {
  /** The text parts, in order (image wrapper tags removed). */
  texts: string[];
  /** The images, in order. */
  images: ImageContent[];
}

/**
 * Splits a Codex content array into text parts and images. The `<image …>` /
 * `</image>` text parts wrapped around an `input_image` are dropped and the
 * path in the open tag becomes the image's `source`.
 *
 * @param content A `message` content or a tool-output content array.
 * @returns The text parts and the images.
 */
export function splitContent(content: readonly unknown[]): SplitContent {
  const texts: string[] = [];
  const images: ImageContent[] = [];
  for (let i = 0; i < content.length; i++) {
    const part = content[i];
    if (typeof part === "string") {
      texts.push(part);
      continue;
    }
    if (!isRecord(part)) continue;
    if (part.type === "input_image" || part.type === "image") {
      const image = imageOfUrl(part.image_url ?? part.url);
      if (image) images.push(image);
      continue;
    }
    const text = typeof part.text === "string" ? part.text : flattenContent(part);
    const next = content[i + 1];
    if (isOpenTag(text) && isRecord(next) && next.type === "input_image") {
      const image = imageOfUrl(next.image_url);
      if (image) {
        const source = tagSource(text);
        if (source !== undefined && image.source === undefined) image.source = source;
        images.push(image);
      }
      i++;
      const close = content[i + 1];
      if (isRecord(close) && close.text === "</image>") i++;
      continue;
    }
    if (text !== "") texts.push(text);
  }
  return { texts, images };
}

/** Media types the OpenAI Responses API accepts as `input_image`. */
export const OPENAI_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/gif",
]);
/** OpenAI's limit on one request's payload; images beyond it become text notes. */
export const OPENAI_IMAGE_BYTES = 50 * 1024 * 1024;
/** OpenAI's limit on images in one request. */
export const OPENAI_IMAGE_COUNT = 500;

/**
 * Turns canonical images into `input_image` parts within OpenAI's limits (its
 * four media types, 500 images and 50 MB of image data per request, which a
 * resumed thread sends whole). An image that does not fit becomes an
 * `input_text` note naming it, with a warning.
 */
export class ImageWriter {
  private bytes = 0;
  private count = 0;

  /**
   * @param warnings Where notes about images written as text go.
   */
  constructor(private readonly warnings: Warning[]) {}

  /**
   * The content parts for some images.
   *
   * @param images The images.
   * @param where Where they are, for warnings (e.g. `message 3`).
   * @returns `input_image` parts (or `input_text` notes).
   */
  parts(images: readonly ImageContent[] | undefined, where: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const image of images ?? []) {
      const url = this.url(image, where);
      if (url !== undefined) out.push({ type: "input_image", image_url: url });
      else out.push({ type: "input_text", text: imageNote(image) });
    }
    return out;
  }

  /**
   * The content parts for images a user attached, each wrapped in the
   * `<image name=[Image #N] path="…">` / `</image>` text parts Codex itself
   * puts around an attached image.
   *
   * @param images The images.
   * @param where Where they are, for warnings.
   * @returns The parts.
   */
  wrapped(images: readonly ImageContent[] | undefined, where: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    (images ?? []).forEach((image, i) => {
      const url = this.url(image, where);
      if (url === undefined) {
        out.push({ type: "input_text", text: imageNote(image) });
        return;
      }
      const path = image.source !== undefined && !image.source.startsWith("data:")
        ? ` path="${image.source}"`
        : "";
      out.push({ type: "input_text", text: `<image name=[Image #${i + 1}]${path}>` });
      out.push({ type: "input_image", image_url: url });
      out.push({ type: "input_text", text: "</image>" });
    });
    return out;
  }

  private url(image: ImageContent, where: string): string | undefined {
    const mediaType = image.mediaType.toLowerCase();
    let reason: string | undefined;
    if (image.data === undefined || image.data === "") {
      if (image.source !== undefined && /^https?:\/\//.test(image.source)) return image.source;
      reason = "its data was not kept";
    } else if (!OPENAI_IMAGE_TYPES.has(mediaType === "image/jpg" ? "image/jpeg" : mediaType)) {
      reason = `OpenAI does not accept ${image.mediaType} images`;
    } else if (this.count + 1 > OPENAI_IMAGE_COUNT) {
      reason = `a request holds at most ${OPENAI_IMAGE_COUNT} images`;
    } else if (this.bytes + image.data.length > OPENAI_IMAGE_BYTES) {
      reason = "the images would pass OpenAI's 50 MB request limit";
    }
    if (reason !== undefined) {
      this.warnings.push({
        code: "image-as-text",
        message: `An image in ${where} was written as a text note: ${reason}`,
      });
      return undefined;
    }
    this.count++;
    this.bytes += image.data!.length;
    const type = mediaType === "image/jpg" ? "image/jpeg" : mediaType;
    return `data:${type};base64,${image.data}`;
  }
}

/**
 * The text that stands for an image that could not be written as one.
 *
 * @param image The image.
 * @returns A short note such as `[image: shot.png (image/png)]`.
 */
export function imageNote(image: ImageContent): string {
  return image.source === undefined
    ? `[image (${image.mediaType})]`
    : `[image: ${image.source} (${image.mediaType})]`;
}
