package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The dynamic_reconfigure protocol's messages and its {@code Reconfigure} service, as {@code
 * rqt_reconfigure} and {@code dynparam} speak them: a node advertises the service {@code
 * ~set_parameters} and latches {@code ~parameter_descriptions} (ConfigDescription: the parameters
 * with their types, ranges and defaults) and {@code ~parameter_updates} (Config: the values in
 * force). Not a hot path: these messages use lists and allocate freely.
 */
public final class DynamicReconfigure {
  private DynamicReconfigure() {}

  static int strSize(String s) {
    return 4 + s.getBytes(StandardCharsets.UTF_8).length;
  }

  static void putStr(ByteBuffer out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.putInt(b.length);
    out.put(b);
  }

  static String getStr(ByteBuffer in, String field) {
    int n = Ser.length(in, 1, field);
    byte[] b = new byte[n];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** dynamic_reconfigure/BoolParameter. */
  public static final class BoolParameter implements Message {
    public static final MessageType<BoolParameter> TYPE =
        new MessageType<>("dynamic_reconfigure/BoolParameter", BoolParameter::new);

    public String name = "";
    public boolean value;

    public BoolParameter() {}

    public BoolParameter(String name, boolean value) {
      this.name = name;
      this.value = value;
    }

    @Override
    public int serializedSize() {
      int s = 0;
      s += strSize(name);
      s += 1;
      return s;
    }

    @Override
    public void encode(ByteBuffer out) {
      putStr(out, name);
      out.put((byte) (value ? 1 : 0));
    }

    @Override
    public void decode(ByteBuffer in) {
      name = getStr(in, "name");
      Ser.need(in, 1, "value");
      value = in.get() != 0;
    }
  }

  /** dynamic_reconfigure/IntParameter. */
  public static final class IntParameter implements Message {
    public static final MessageType<IntParameter> TYPE =
        new MessageType<>("dynamic_reconfigure/IntParameter", IntParameter::new);

    public String name = "";
    public int value;

    public IntParameter() {}

    public IntParameter(String name, int value) {
      this.name = name;
      this.value = value;
    }

    @Override
    public int serializedSize() {
      int s = 0;
      s += strSize(name);
      s += 4;
      return s;
    }

    @Override
    public void encode(ByteBuffer out) {
      putStr(out, name);
      out.putInt(value);
    }

    @Override
    public void decode(ByteBuffer in) {
      name = getStr(in, "name");
      Ser.need(in, 4, "value");
      value = in.getInt();
    }
  }

  /** dynamic_reconfigure/StrParameter. */
  public static final class StrParameter implements Message {
    public static final MessageType<StrParameter> TYPE =
        new MessageType<>("dynamic_reconfigure/StrParameter", StrParameter::new);

    public String name = "";
    public String value = "";

    public StrParameter() {}

    public StrParameter(String name, String value) {
      this.name = name;
      this.value = value;
    }

    @Override
    public int serializedSize() {
      int s = 0;
      s += strSize(name);
      s += strSize(value);
      return s;
    }

    @Override
    public void encode(ByteBuffer out) {
      putStr(out, name);
      putStr(out, value);
    }

    @Override
    public void decode(ByteBuffer in) {
      name = getStr(in, "name");
      value = getStr(in, "value");
    }
  }

  /** dynamic_reconfigure/DoubleParameter. */
  public static final class DoubleParameter implements Message {
    public static final MessageType<DoubleParameter> TYPE =
        new MessageType<>("dynamic_reconfigure/DoubleParameter", DoubleParameter::new);

    public String name = "";
    public double value;

    public DoubleParameter() {}

    public DoubleParameter(String name, double value) {
      this.name = name;
      this.value = value;
    }

    @Override
    public int serializedSize() {
      int s = 0;
      s += strSize(name);
      s += 8;
      return s;
    }

    @Override
    public void encode(ByteBuffer out) {
      putStr(out, name);
      out.putDouble(value);
    }

    @Override
    public void decode(ByteBuffer in) {
      name = getStr(in, "name");
      Ser.need(in, 8, "value");
      value = in.getDouble();
    }
  }

  /** dynamic_reconfigure/GroupState. */
  public static final class GroupState implements Message {
    public static final MessageType<GroupState> TYPE =
        new MessageType<>("dynamic_reconfigure/GroupState", GroupState::new);

    public String name = "";
    public boolean state;
    public int id;
    public int parent;

    public GroupState() {}

    public GroupState(String name, boolean state, int id, int parent) {
      this.name = name;
      this.state = state;
      this.id = id;
      this.parent = parent;
    }

    @Override
    public int serializedSize() {
      int s = 0;
      s += strSize(name);
      s += 1;
      s += 4;
      s += 4;
      return s;
    }

    @Override
    public void encode(ByteBuffer out) {
      putStr(out, name);
      out.put((byte) (state ? 1 : 0));
      out.putInt(id);
      out.putInt(parent);
    }

    @Override
    public void decode(ByteBuffer in) {
      name = getStr(in, "name");
      Ser.need(in, 1, "state");
      state = in.get() != 0;
      Ser.need(in, 4, "id");
      id = in.getInt();
      Ser.need(in, 4, "parent");
      parent = in.getInt();
    }
  }

  /** dynamic_reconfigure/Config. */
  public static final class Config implements Message {
    public static final MessageType<Config> TYPE =
        new MessageType<>("dynamic_reconfigure/Config", Config::new);

    public final List<BoolParameter> bools = new ArrayList<>();
    public final List<IntParameter> ints = new ArrayList<>();
    public final List<StrParameter> strs = new ArrayList<>();
    public final List<DoubleParameter> doubles = new ArrayList<>();
    public final List<GroupState> groups = new ArrayList<>();

    @Override
    public int serializedSize() {
      int s = 0;
      s += 4;
      for (Message m : bools) {
        s += m.serializedSize();
      }
      s += 4;
      for (Message m : ints) {
        s += m.serializedSize();
      }
      s += 4;
      for (Message m : strs) {
        s += m.serializedSize();
      }
      s += 4;
      for (Message m : doubles) {
        s += m.serializedSize();
      }
      s += 4;
      for (Message m : groups) {
        s += m.serializedSize();
      }
      return s;
    }

    @Override
    public void encode(ByteBuffer out) {
      out.putInt(bools.size());
      for (Message m : bools) {
        m.encode(out);
      }
      out.putInt(ints.size());
      for (Message m : ints) {
        m.encode(out);
      }
      out.putInt(strs.size());
      for (Message m : strs) {
        m.encode(out);
      }
      out.putInt(doubles.size());
      for (Message m : doubles) {
        m.encode(out);
      }
      out.putInt(groups.size());
      for (Message m : groups) {
        m.encode(out);
      }
    }

    @Override
    public void decode(ByteBuffer in) {
      bools.clear();
      int nBools = Ser.length(in, 5, "bools");
      for (int i = 0; i < nBools; i++) {
        BoolParameter m = new BoolParameter();
        m.decode(in);
        bools.add(m);
      }
      ints.clear();
      int nInts = Ser.length(in, 8, "ints");
      for (int i = 0; i < nInts; i++) {
        IntParameter m = new IntParameter();
        m.decode(in);
        ints.add(m);
      }
      strs.clear();
      int nStrs = Ser.length(in, 8, "strs");
      for (int i = 0; i < nStrs; i++) {
        StrParameter m = new StrParameter();
        m.decode(in);
        strs.add(m);
      }
      doubles.clear();
      int nDoubles = Ser.length(in, 12, "doubles");
      for (int i = 0; i < nDoubles; i++) {
        DoubleParameter m = new DoubleParameter();
        m.decode(in);
        doubles.add(m);
      }
      groups.clear();
      int nGroups = Ser.length(in, 13, "groups");
      for (int i = 0; i < nGroups; i++) {
        GroupState m = new GroupState();
        m.decode(in);
        groups.add(m);
      }
    }
  }

  /** dynamic_reconfigure/ParamDescription. */
  public static final class ParamDescription implements Message {
    public static final MessageType<ParamDescription> TYPE =
        new MessageType<>("dynamic_reconfigure/ParamDescription", ParamDescription::new);

    public String name = "";
    public String type = "";
    public int level;
    public String description = "";
    public String editMethod = "";

    public ParamDescription() {}

    public ParamDescription(
        String name, String type, int level, String description, String editMethod) {
      this.name = name;
      this.type = type;
      this.level = level;
      this.description = description;
      this.editMethod = editMethod;
    }

    @Override
    public int serializedSize() {
      int s = 0;
      s += strSize(name);
      s += strSize(type);
      s += 4;
      s += strSize(description);
      s += strSize(editMethod);
      return s;
    }

    @Override
    public void encode(ByteBuffer out) {
      putStr(out, name);
      putStr(out, type);
      out.putInt(level);
      putStr(out, description);
      putStr(out, editMethod);
    }

    @Override
    public void decode(ByteBuffer in) {
      name = getStr(in, "name");
      type = getStr(in, "type");
      Ser.need(in, 4, "level");
      level = in.getInt();
      description = getStr(in, "description");
      editMethod = getStr(in, "edit_method");
    }
  }

  /** dynamic_reconfigure/Group. */
  public static final class Group implements Message {
    public static final MessageType<Group> TYPE =
        new MessageType<>("dynamic_reconfigure/Group", Group::new);

    public String name = "";
    public String type = "";
    public final List<ParamDescription> parameters = new ArrayList<>();
    public int parent;
    public int id;

    @Override
    public int serializedSize() {
      int s = 0;
      s += strSize(name);
      s += strSize(type);
      s += 4;
      for (Message m : parameters) {
        s += m.serializedSize();
      }
      s += 4;
      s += 4;
      return s;
    }

    @Override
    public void encode(ByteBuffer out) {
      putStr(out, name);
      putStr(out, type);
      out.putInt(parameters.size());
      for (Message m : parameters) {
        m.encode(out);
      }
      out.putInt(parent);
      out.putInt(id);
    }

    @Override
    public void decode(ByteBuffer in) {
      name = getStr(in, "name");
      type = getStr(in, "type");
      parameters.clear();
      int nParameters = Ser.length(in, 20, "parameters");
      for (int i = 0; i < nParameters; i++) {
        ParamDescription m = new ParamDescription();
        m.decode(in);
        parameters.add(m);
      }
      Ser.need(in, 4, "parent");
      parent = in.getInt();
      Ser.need(in, 4, "id");
      id = in.getInt();
    }
  }

  /** dynamic_reconfigure/ConfigDescription. */
  public static final class ConfigDescription implements Message {
    public static final MessageType<ConfigDescription> TYPE =
        new MessageType<>("dynamic_reconfigure/ConfigDescription", ConfigDescription::new);

    public final List<Group> groups = new ArrayList<>();
    public final Config max = new Config();
    public final Config min = new Config();
    public final Config dflt = new Config();

    @Override
    public int serializedSize() {
      int s = 0;
      s += 4;
      for (Message m : groups) {
        s += m.serializedSize();
      }
      s += max.serializedSize();
      s += min.serializedSize();
      s += dflt.serializedSize();
      return s;
    }

    @Override
    public void encode(ByteBuffer out) {
      out.putInt(groups.size());
      for (Message m : groups) {
        m.encode(out);
      }
      max.encode(out);
      min.encode(out);
      dflt.encode(out);
    }

    @Override
    public void decode(ByteBuffer in) {
      groups.clear();
      int nGroups = Ser.length(in, 20, "groups");
      for (int i = 0; i < nGroups; i++) {
        Group m = new Group();
        m.decode(in);
        groups.add(m);
      }
      max.decode(in);
      min.decode(in);
      dflt.decode(in);
    }
  }

  /** dynamic_reconfigure/Reconfigure: a Config in (the changes), the Config in force out. */
  public static final class Reconfigure {
    private Reconfigure() {}

    /** The request and the response: one {@link Config}. */
    public static final class ConfigHolder implements Message {
      public final Config config = new Config();

      @Override
      public int serializedSize() {
        return config.serializedSize();
      }

      @Override
      public void encode(ByteBuffer out) {
        config.encode(out);
      }

      @Override
      public void decode(ByteBuffer in) {
        config.decode(in);
      }
    }

    public static final MessageType<ConfigHolder> REQUEST =
        new MessageType<>("dynamic_reconfigure/ReconfigureRequest", ConfigHolder::new);
    public static final MessageType<ConfigHolder> RESPONSE =
        new MessageType<>("dynamic_reconfigure/ReconfigureResponse", ConfigHolder::new);
    public static final ServiceType<ConfigHolder, ConfigHolder> TYPE =
        new ServiceType<>("dynamic_reconfigure/Reconfigure", REQUEST, RESPONSE);
  }
}
