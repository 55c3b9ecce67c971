export async function startJobs() {}
export async function stopJobs() {}
