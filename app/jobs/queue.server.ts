export async function enqueueJob(_name: string, _data: Record<string, unknown>) {}
