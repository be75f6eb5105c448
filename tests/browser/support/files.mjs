// Files the browser tests upload.

/** A small valid PDF (what the server checks: %PDF-1.x first, %%EOF at the end, nothing hidden). */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n'
  + 'trailer<</Root 1 0 R>>\n%%EOF\n',
);
