using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// What a built assembly carries, read with System.Reflection.Metadata without loading it: every string literal
/// (the #US heap: RPC method names, process names), every type it references from another assembly and every member
/// it calls on one. A rule checked here holds for what ships, generated code included, not only for the text we read.
/// </summary>
internal sealed class AssemblyMetadataScan
{
    private AssemblyMetadataScan(string path, List<string> userStrings, List<string> typeReferences, List<string> memberReferences)
    {
        Path = path;
        UserStrings = userStrings;
        TypeReferences = typeReferences;
        MemberReferences = memberReferences;
    }

    public string Path { get; }

    public IReadOnlyList<string> UserStrings { get; }

    /// <summary>"Namespace.Type" (nested types as "Outer+Inner").</summary>
    public IReadOnlyList<string> TypeReferences { get; }

    /// <summary>"Namespace.Type::Member" for members of referenced types.</summary>
    public IReadOnlyList<string> MemberReferences { get; }

    public static AssemblyMetadataScan Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();

        var userStrings = new List<string>();
        for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil; handle = metadata.GetNextHandle(handle))
        {
            userStrings.Add(metadata.GetUserString(handle));
        }

        var types = metadata.TypeReferences.Select(handle => TypeName(metadata, handle)).ToList();
        var members = new List<string>();
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeReference)
            {
                members.Add($"{TypeName(metadata, (TypeReferenceHandle)member.Parent)}::{metadata.GetString(member.Name)}");
            }
        }

        return new AssemblyMetadataScan(path, userStrings, types, members);
    }

    private static string TypeName(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var type = metadata.GetTypeReference(handle);
        var name = metadata.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return $"{TypeName(metadata, (TypeReferenceHandle)type.ResolutionScope)}+{name}";
        }

        var ns = metadata.GetString(type.Namespace);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }
}
