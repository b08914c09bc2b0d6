/** What the print job knows about the order, once per print file. */
export interface PrintOrderHeader {
  orderReference: string;
  funderName: string;
  /** Face value of one voucher, integer cents. */
  faceValueCents: number;
  /** Validity end date, `YYYY-MM-DD` (Europe/Paris business date). */
  validUntil: string;
  /** Pass page base URL, e.g. `https://sillage.example/p`; the booklet's token goes after `#`. */
  passBaseUrl: string;
}

export interface PrintVoucher {
  serial: string;
  /** Canonical human code, 12 characters without separators. */
  humanCode: string;
  /** The voucher's signed token (compact JWT, ~200 characters) that its QR code carries. */
  qrPayload: string;
}

export interface PrintBooklet {
  serial: string;
  passToken: string;
  vouchers: PrintVoucher[];
}

/** Counts done so far, reported after each booklet. */
export interface PrintProgress {
  booklets: number;
  vouchers: number;
}
