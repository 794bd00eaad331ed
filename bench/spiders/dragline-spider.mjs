// dragline's side of the benchmark: the demo spider itself (every link followed, one item a page),
// run with `dragline runspider` from the built CLI (`npm run build` first).
export {DemoSpider} from '../../dist/demo/demo-spider.js';
