/**
 * Label images: a real (small) GIF or a ZPL program per package, as base64. Both are pure functions of the
 * shipment and the package, so label recovery returns exactly the bytes the ship response carried.
 */
import type { LedgerShipment } from './state.js';

const WIDTH = 120;
const HEIGHT = 180;

/** Packs variable-width LZW codes LSB-first, as GIF requires. */
class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private bits = 0;
  write(code: number, width: number): void {
    this.acc |= code << this.bits;
    this.bits += width;
    while (this.bits >= 8) {
      this.bytes.push(this.acc & 0xff);
      this.acc >>= 8;
      this.bits -= 8;
    }
  }
  finish(): number[] {
    if (this.bits > 0) this.bytes.push(this.acc & 0xff);
    return this.bytes;
  }
}

/**
 * Two-colour GIF89a without real compression: a clear code after every two pixels keeps the LZW code width at
 * 3 bits, which every decoder accepts. Pixels: 1 = black, 0 = white.
 */
export function encodeGif(pixels: Uint8Array, width: number, height: number, comment: string): Buffer {
  const w = new BitWriter();
  const CLEAR = 4;
  const EOI = 5;
  for (let i = 0; i < pixels.length; i += 1) {
    if (i % 2 === 0) w.write(CLEAR, 3);
    w.write(pixels[i]!, 3);
  }
  w.write(EOI, 3);
  const data = w.finish();
  const out: number[] = [];
  const push = (...b: number[]) => out.push(...b);
  const u16 = (n: number) => push(n & 0xff, (n >> 8) & 0xff);
  push(...Buffer.from('GIF89a', 'ascii'));
  u16(width);
  u16(height);
  push(0x80, 0, 0); // global colour table of 2 entries
  push(0xff, 0xff, 0xff, 0, 0, 0);
  const text = Buffer.from(comment, 'ascii');
  push(0x21, 0xfe);
  for (let i = 0; i < text.length; i += 255) {
    const chunk = text.subarray(i, i + 255);
    push(chunk.length, ...chunk);
  }
  push(0);
  push(0x2c);
  u16(0);
  u16(0);
  u16(width);
  u16(height);
  push(0, 2); // no local colour table; LZW minimum code size 2
  for (let i = 0; i < data.length; i += 255) {
    const chunk = data.slice(i, i + 255);
    push(chunk.length, ...chunk);
  }
  push(0, 0x3b);
  return Buffer.from(out);
}

/** A border, a thick band at the top and a barcode whose bars come from the tracking number's characters. */
function drawLabel(trackingNumber: string): Uint8Array {
  const px = new Uint8Array(WIDTH * HEIGHT);
  const set = (x: number, y: number) => {
    if (x >= 0 && x < WIDTH && y >= 0 && y < HEIGHT) px[y * WIDTH + x] = 1;
  };
  for (let x = 0; x < WIDTH; x += 1) {
    set(x, 0);
    set(x, HEIGHT - 1);
    for (let y = 20; y < 24; y += 1) set(x, y);
  }
  for (let y = 0; y < HEIGHT; y += 1) {
    set(0, y);
    set(WIDTH - 1, y);
  }
  let x = 8;
  for (const ch of trackingNumber) {
    const v = ch.charCodeAt(0);
    for (let bit = 0; bit < 6 && x < WIDTH - 8; bit += 1) {
      const width = (v >> bit) & 1 ? 2 : 1;
      for (let dx = 0; dx < width; dx += 1) for (let y = 110; y < 160; y += 1) set(x + dx, y);
      x += width + 1;
    }
  }
  return px;
}

function zpl(shipment: LedgerShipment, trackingNumber: string, index: number): string {
  const to = shipment.shipTo;
  return [
    '^XA',
    '^CI28',
    `^FO30,30^A0N,28,28^FD${shipment.shipperName}^FS`,
    `^FO30,70^A0N,24,24^FD${shipment.shipFrom.city} ${shipment.shipFrom.stateProvinceCode} ${shipment.shipFrom.postalCode}^FS`,
    `^FO30,130^A0N,32,32^FDSHIP TO: ${to.name}^FS`,
    `^FO30,170^A0N,28,28^FD${to.addressLines.join(', ')}^FS`,
    `^FO30,210^A0N,28,28^FD${to.city} ${to.stateProvinceCode} ${to.postalCode}^FS`,
    `^FO30,270^A0N,36,36^FDSERVICE ${shipment.serviceCode}  PKG ${index + 1} OF ${shipment.packages.length}^FS`,
    `^FO30,330^A0N,30,30^FDTRACKING #: ${trackingNumber}^FS`,
    `^FO60,380^BY3^BCN,180,N,N,N^FD>;${trackingNumber}^FS`,
    '^XZ',
  ].join('\n');
}

export function labelImage(shipment: LedgerShipment, trackingNumber: string, format: 'GIF' | 'ZPL'): string {
  const index = shipment.packages.findIndex((p) => p.trackingNumber === trackingNumber);
  if (format === 'ZPL') return Buffer.from(zpl(shipment, trackingNumber, index), 'utf8').toString('base64');
  const comment = `UPS SANDBOX LABEL ${trackingNumber} SHIPMENT ${shipment.shipmentIdentificationNumber}`;
  return encodeGif(drawLabel(trackingNumber), WIDTH, HEIGHT, comment).toString('base64');
}
