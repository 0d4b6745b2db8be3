/**
 * Image checks shared by the per-wire rules: strict base64, data URLs, the image type the
 * bytes really are, and their pixel size.
 *
 * @module
 */

/** An image format recognized from its first bytes. */
export type SniffedImage = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

/**
 * Decodes standard base64 (RFC 4648 §4, padded, no whitespace).
 *
 * @param data The base64 text.
 * @returns The bytes, or `undefined` when the text is not valid base64.
 */
export function decodeBase64(data: string): Uint8Array | undefined {
  if (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return undefined;
  try {
    const binary = atob(data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

/**
 * Splits a `data:<type>;base64,<data>` URL.
 *
 * @param url The URL.
 * @returns Media type and base64 payload, or `undefined` for any other URL.
 */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (match === null) return undefined;
  return { mediaType: (match[1] ?? "").toLowerCase(), data: match[2] ?? "" };
}

/**
 * The image format of some bytes, from their signature.
 *
 * @param bytes The decoded image.
 * @returns The format, or `undefined` when it is none of PNG, JPEG, GIF, WebP.
 */
export function sniffImage(bytes: Uint8Array): SniffedImage | undefined {
  const at = (i: number): number => bytes[i] ?? -1;
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return "image/png";
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return "image/jpeg";
  if (at(0) === 0x47 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x38) return "image/gif";
  const riff = at(0) === 0x52 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x46;
  const webp = at(8) === 0x57 && at(9) === 0x45 && at(10) === 0x42 && at(11) === 0x50;
  if (riff && webp) return "image/webp";
  return undefined;
}

function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1] ?? 0;
    const length = ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 &&
      marker !== 0xcc;
    if (isFrame) {
      const height = ((bytes[i + 5] ?? 0) << 8) | (bytes[i + 6] ?? 0);
      const width = ((bytes[i + 7] ?? 0) << 8) | (bytes[i + 8] ?? 0);
      return { width, height };
    }
    i += 2 + length;
  }
  return undefined;
}

function webpSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const chunk = String.fromCharCode(...bytes.slice(12, 16));
  const u = (i: number): number => bytes[i] ?? 0;
  if (chunk === "VP8X") {
    return {
      width: 1 + (u(24) | (u(25) << 8) | (u(26) << 16)),
      height: 1 + (u(27) | (u(28) << 8) | (u(29) << 16)),
    };
  }
  if (chunk === "VP8L") {
    const bits = u(21) | (u(22) << 8) | (u(23) << 16) | (u(24) << 24);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  if (chunk === "VP8 ") {
    return { width: (u(26) | (u(27) << 8)) & 0x3fff, height: (u(28) | (u(29) << 8)) & 0x3fff };
  }
  return undefined;
}

/**
 * The pixel size of a PNG, JPEG, GIF or WebP image, read from its header.
 *
 * @param bytes The decoded image.
 * @returns Width and height, or `undefined` when the header cannot be read.
 */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (sniffImage(bytes)) {
    case "image/png":
      return bytes.length >= 24
        ? { width: view.getUint32(16), height: view.getUint32(20) }
        : undefined;
    case "image/gif":
      return bytes.length >= 10
        ? { width: view.getUint16(6, true), height: view.getUint16(8, true) }
        : undefined;
    case "image/jpeg":
      return jpegSize(bytes);
    case "image/webp":
      return bytes.length >= 30 ? webpSize(bytes) : undefined;
    default:
      return undefined;
  }
}

/** Outcome of {@linkcode checkImageData}: problems in plain words. */
export interface ImageCheckOptions {
  /** Media types the API accepts. */
  allowed: readonly string[];
  /** The declared media type. */
  mediaType: string;
  /** The base64 payload. */
  data: string;
  /** Longest base64 payload the API accepts, in characters. */
  maxBase64?: number;
  /** Largest width or height the API accepts, in pixels. */
  maxPixels?: number;
}

/**
 * Checks one base64 image: an accepted type, base64 that decodes, bytes of the declared type,
 * within size limits.
 *
 * @param options The image and the API's limits.
 * @returns Problems, empty when the image is acceptable.
 */
export function checkImageData(options: ImageCheckOptions): string[] {
  const { allowed, mediaType, data } = options;
  if (!allowed.includes(mediaType)) {
    return [`media type "${mediaType}" is not one of ${allowed.join(", ")}`];
  }
  const problems: string[] = [];
  if (options.maxBase64 !== undefined && data.length > options.maxBase64) {
    problems.push(`base64 is ${data.length} bytes, over the ${options.maxBase64}-byte maximum`);
  }
  const bytes = decodeBase64(data);
  if (bytes === undefined) return [...problems, "data is not valid base64"];
  const sniffed = sniffImage(bytes);
  // Only formats we can recognize are compared (HEIC, HEIF pass unsniffed).
  const recognizable = ["image/png", "image/jpeg", "image/gif", "image/webp"];
  if (recognizable.includes(mediaType) && sniffed !== mediaType) {
    problems.push(`bytes are ${sniffed ?? "not a recognizable image"}, not ${mediaType}`);
  }
  const size = sniffed === undefined ? undefined : imageSize(bytes);
  if (size !== undefined && options.maxPixels !== undefined) {
    if (size.width > options.maxPixels || size.height > options.maxPixels) {
      problems.push(
        `image is ${size.width}×${size.height} px, over the ${options.maxPixels}-pixel maximum`,
      );
    }
  }
  return problems;
}
