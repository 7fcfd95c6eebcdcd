/* A JNI method that calls its Runnable back: the Java code below it runs under a native frame. */
#include <jni.h>

JNIEXPORT void JNICALL Java_PinnedCarriers_withNativeFrame(JNIEnv *env, jclass cls, jobject callback) {
    (void)cls;
    jclass runnable = (*env)->GetObjectClass(env, callback);
    jmethodID run = (*env)->GetMethodID(env, runnable, "run", "()V");
    if (run != NULL) (*env)->CallVoidMethod(env, callback, run);
}
