import { measurePrintThroughput } from './print-throughput';
it('bench', async () => {
  for (let i = 0; i < 3; i++) console.log(await measurePrintThroughput(1000));
}, 120000);
