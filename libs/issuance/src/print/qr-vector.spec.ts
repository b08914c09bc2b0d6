import { create } from 'qrcode';
import { qrContent, qrMatrix, qrRectanglesPath, QR_QUIET_ZONE_MODULES } from './qr-vector';

const TOKEN =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzIjoiU0xHLTIwMjYtMDAwMTIzLTA3IiwidiI6MTAwMCwiYXVkIjoic2lsbGFnZTp2b3VjaGVyIn0.' + 'A'.repeat(86);

function parseRects(path: string): [number, number, number, number][] {
  return path.split('\n').map((line) => {
    const m = /^(\d+) (\d+) (\d+) (\d+) re$/.exec(line);
    if (!m) throw new Error(`not a rectangle: ${line}`);
    return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  });
}

describe('qrRectanglesPath', () => {
  it('covers exactly the dark modules, each once', () => {
    const m = qrMatrix(TOKEN);
    const painted = new Uint8Array(m.size * m.size);
    for (const [x, y, w, h] of parseRects(qrRectanglesPath(m))) {
      for (let row = y; row < y + h; row++) for (let col = x; col < x + w; col++) painted[row * m.size + col]++;
    }
    expect([...painted]).toEqual([...m.data].map((d) => (d ? 1 : 0)));
  });

  it('is the level-M symbol qrcode builds, drawn with fewer rectangles than dark modules', () => {
    const m = qrMatrix(TOKEN);
    const reference = create(TOKEN, { errorCorrectionLevel: 'M' });
    expect(m.size).toBe(reference.modules.size);
    expect(reference.errorCorrectionLevel.bit).toBe(0); // M
    const dark = m.data.reduce((n, d) => n + (d ? 1 : 0), 0);
    expect(parseRects(qrRectanglesPath(m)).length).toBeLessThan(dark / 2);
  });
});

describe('qrContent', () => {
  it('scales module units so the symbol plus a 4-module quiet zone fills the box, and fills once', () => {
    const m = qrMatrix('https://sillage.example/p#abc');
    const ops = qrContent(m, 100, 200, 164);
    const unit = 164 / (m.size + 2 * QR_QUIET_ZONE_MODULES);
    const cm = /^q\n0 g\n([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\n/.exec(ops);
    expect(cm).not.toBeNull();
    expect(Number(cm?.[1])).toBeCloseTo(unit, 3);
    expect(Number(cm?.[3])).toBeCloseTo(100 + 4 * unit, 3);
    expect(Number(cm?.[4])).toBeCloseTo(200 + 4 * unit, 3);
    expect(ops.endsWith('\nf\nQ')).toBe(true);
    expect(ops.match(/\bf\b/g)).toHaveLength(1);
  });
});
