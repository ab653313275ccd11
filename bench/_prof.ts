import { createRng } from '/work/main/src/stats/random';
import { prepareCox, fitCox } from '/work/main/src/survival/cox';
import { coxLogLik, makeWorkspace, hazardSweep } from '/work/main/src/survival/coxcore';
import { concordanceCounts } from '/work/main/src/survival/concordance';
const n = 340000, p = 20;
const rng = createRng(1);
const x = new Float64Array(n*p); const time = new Float64Array(n); const ev = new Uint8Array(n); const la = new Int32Array(n); const child = new Int32Array(n);
for (let i=0;i<n;i++){ for(let j=0;j<p;j++) x[i*p+j]=rng.nextNormal(); time[i]=1+rng.nextInt(700); ev[i]=rng.nextFloat()<0.5?1:0; la[i]=rng.nextInt(152); child[i]=Math.floor(i/1.5);}
let t=performance.now();
const pr = prepareCox({time, event: ev, x:{nrow:n,ncol:p,data:x}, strata: la, cluster: child});
console.log('prepare', performance.now()-t); t=performance.now();
const ws = makeWorkspace(n,p);
coxLogLik(pr.data, new Float64Array(p), ws); console.log('loglik', performance.now()-t); t=performance.now();
hazardSweep(pr.data, new Float64Array(p)); console.log('hazard', performance.now()-t); t=performance.now();
concordanceCounts(pr.data, new Float64Array(n).map(()=>rng.nextNormal()), pr.clusterCodes, pr.nCluster); console.log('conc', performance.now()-t); t=performance.now();
