/** A QR code as a camera would film it, for Chromium's fake video capture (browser tests of the scanner). */
import { writeFileSync } from 'node:fs';
import { create } from 'qrcode';

/**
 * Writes a Y4M video (the raw format `--use-file-for-fake-video-capture` reads) showing `text` as a
 * QR code, black on white in a 640×480 frame with its quiet zone; Chromium loops it as the camera.
 */
export function writeQrVideo(path: string, text: string, o: { width?: number; height?: number; frames?: number } = {}): void {
  const width = o.width ?? 640;
  const height = o.height ?? 480;
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const module = Math.floor((Math.min(width, height) * 0.85) / (modules.size + 8));
  const side = module * modules.size;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  // Studio-range luma (16 black, 235 white), neutral chroma: a grey-scale 4:2:0 picture.
  const luma = Buffer.alloc(width * height, 235);
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) {
      if (!modules.get(r, c)) continue;
      for (let y = 0; y < module; y++)
        luma.fill(16, (top + r * module + y) * width + left + c * module, (top + r * module + y) * width + left + (c + 1) * module);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: o.frames ?? 2 }, () => frame)]));
}
