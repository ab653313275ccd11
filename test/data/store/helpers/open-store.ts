// Child process for the concurrency test: opens (building if needed) the store given on the command line
// and prints its data flow as JSON.
import { openStudyStore } from '../../../../src/data/store/index';
import { NPD_MAPPING } from '../../../../src/data/mapping';

const [storePath, cin] = process.argv.slice(2);
const opened = await openStudyStore(storePath, { cin }, { mapping: NPD_MAPPING, endOfData: '2021-03-31' });
process.stdout.write(JSON.stringify({ reused: opened.reused, dataFlow: opened.dataFlow }));
// hold the store open a moment, as a notebook reading its tables does
await new Promise((r) => setTimeout(r, 300));
opened.store.close();
