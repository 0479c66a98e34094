// The part of jStat (jstat on npm; no published types) that shardcast uses.
declare module "jstat" {
  const jStat: {
    studentt: { inv(p: number, dof: number): number; cdf(x: number, dof: number): number };
  };
  export default jStat;
}
