/// <reference types="vite/client" />
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/**
 * The camera QR reader: ZXing (zxing-cpp compiled to WebAssembly, the maintained `zxing-wasm`),
 * served by us — never fetched from a CDN, so it works on a site's closed network and offline once
 * cached. This module is loaded only when the agent turns the camera on.
 */
void prepareZXingModule({
  overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
  fireImmediately: true,
});

export interface CameraReader {
  stop(): void;
}

/**
 * Streams the back camera into `video` and reads a QR code about 6 times a second; `onRead` gets
 * each text read (the caller ignores repeats). Throws when there is no camera or it is refused.
 */
export async function startCamera(video: HTMLVideoElement, onRead: (text: string) => void): Promise<CameraReader> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute('playsinline', '');
  await video.play();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (stopped) return;
    if (video.videoWidth > 0) {
      // Decoding a 640-pixel-wide frame is plenty for a cheque held in front of the lens.
      const scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const results = await readBarcodes(context.getImageData(0, 0, canvas.width, canvas.height), {
        formats: ['QRCode'],
        maxNumberOfSymbols: 1,
      }).catch(() => []);
      const text = results.find((r) => r.isValid)?.text;
      if (text && !stopped) onRead(text);
    }
    if (!stopped) timer = setTimeout(() => void tick(), 160);
  };
  void tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      stream.getTracks().forEach((t) => t.stop());
      video.srcObject = null;
    },
  };
}
