// Crawlee's side of the benchmark: a CheerioCrawler doing what dragline's demo spider does, with
// Crawlee's default storage (./storage in the working directory: request queue and dataset on disk).
// Usage: node crawlee-crawl.mjs START_URL [CONCURRENCY]
import {CheerioCrawler, Dataset} from 'crawlee';

const [startUrl, concurrencyArg = '16'] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);

const crawler = new CheerioCrawler({
  minConcurrency: concurrency,
  maxConcurrency: concurrency,
  maxRequestRetries: 2,
  async requestHandler({$, enqueueLinks}) {
    const items = [];
    $('div.quote').each((_, element) => {
      const quote = $(element);
      items.push({
        page: quote.attr('data-page'),
        text: quote.find('span.text').text(),
        author: quote.find('small.author').text(),
        tags: quote.find('a.tag').map((__, tag) => $(tag).text()).get(),
      });
    });
    await Dataset.pushData(items);
    await enqueueLinks({selector: 'ul.links a'});
  },
});

await crawler.run([startUrl]);
