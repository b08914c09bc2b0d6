export * from './count-table';
export { suppressSmallCells } from './suppress-small-cells';
export * from './suppress-counts';
