import 'reflect-metadata';
import { run } from './bootstrap/boot';

// `npm run start:worker`: queue workers and sweepers only, no HTTP. Run as many as the load needs.
run('worker');
