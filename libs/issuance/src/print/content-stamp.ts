/**
 * Records the content-stream operators that `draw` makes pdfkit emit, instead of writing them to the
 * page, so a drawing repeated on every cheque (labels, small print, stub boxes) is laid out once per
 * file and replayed with `doc.addContent(stamp)`. pdfkit re-measures and re-kerns text on every call
 * (tens of µs per line); replaying a string costs nothing by comparison.
 *
 * A stamp refers to fonts by their resource names (`/F1`…): a page that replays it must list those
 * fonts in its resources, which pdfkit does when the page draws any text of its own in them. Stamps
 * belong to the document they were recorded on.
 */
export function recordStamp(doc: PDFKit.PDFDocument, draw: () => void): string {
  const ops: string[] = [];
  // pdfkit defines addContent on its prototype: shadow it on this instance, then put things back.
  const own = Object.getOwnPropertyDescriptor(doc, 'addContent');
  doc.addContent = (data: unknown) => {
    ops.push(String(data));
    return doc;
  };
  try {
    draw();
  } finally {
    if (own) Object.defineProperty(doc, 'addContent', own);
    else delete (doc as { addContent?: unknown }).addContent;
  }
  return ops.join('\n');
}
