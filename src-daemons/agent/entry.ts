// The agent bundle's entry: runs the command line (main.ts) and exits with its code, or stays
// up while `run` runs.
import { runEntry } from '../cli';
import { main } from './main';

runEntry('agent', main);
